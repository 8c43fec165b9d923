// Session desktop on a local Starling network (issue 14): the shared network (6 storage nodes, 6
// relays, a file server), and a client that does what desktop does, told from desktop's own code
// (support/desktop-client.ts): the seed's list, guard tests over HTTPS, 3-hop paths drawn from the
// whole list, storage RPCs to random listed destinations and to the account's swarm, 421 handling,
// the pool refresh through oxend_request, ONS, and attachments by their `#p=` Ed25519 link. Every
// answer is judged as desktop judges it: what desktop would count against a path, a node or a
// request fails the test.
import { randomBytes, randomInt } from 'crypto';
import { blake2b, decryptOnionResponse, ready, toBase64, utf8 } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { common } from '@starling/proto';
import {
  androidTestSnode,
  buildOnionPaths,
  DesktopAccount,
  desktopFetch,
  downloadFileFromFs,
  fetchSnodePoolFromSeed,
  GET_SERVICE_NODES_REQUEST,
  INFO_REQUEST,
  intersectByIpAndPort,
  kotlinStringAtLeast,
  MIN_SNODE_POOL_COUNT,
  onsResolveRequest,
  poolFromServiceNodes,
  REQUIRED_SNODES_FOR_AGREEMENT_LOCAL,
  sampleSize,
  selectGuardNodes,
  sendViaOnionV4,
  shuffle,
  snodeBatch,
  testGuardNode,
  uploadFileToFs,
  type BatchResult,
  type FileServerTarget,
  type SeedAnswer,
  type Snode,
} from './support/desktop-client';
import { sharedNetwork, type SharedNetwork } from './support/shared-network';

let net: SharedNetwork;
let seed: SeedAnswer;
let pool: Snode[];
/** Ed25519 key → role in the registry's map. */
const roles = new Map<string, 'store' | 'relay'>();
/** Random 3-hop paths over the whole list; every node serves once as guard, middle, exit and destination. */
let rounds: { path: Snode[]; destination: Snode }[];

beforeAll(async () => {
  await ready();
  net = await sharedNetwork();
  for (const n of (await net.networkMap()).nodes) roles.set(n.pubkeyEd25519, n.role === common.NodeRole.NODE_ROLE_STORE ? 'store' : 'relay');
}, 300_000);

const short = (n: Snode) => `${roles.get(n.pubkey_ed25519)}:${n.port}`;
const onPath = (path: readonly Snode[], node: Snode) => path.some((n) => n.pubkey_ed25519 === node.pubkey_ed25519);

/** getOnionPath({toExclude}): a random path of ours that does not hold the target. */
function pathAvoiding(target: Snode): Snode[] {
  const candidates = rounds.map((r) => r.path).filter((p) => !onPath(p, target));
  return candidates[randomInt(candidates.length)]!;
}

/** A batch that must succeed as desktop sees it; returns its results. */
async function expectBatchOk(path: Snode[], target: Snode, method: 'batch' | 'sequence', requests: Record<string, unknown>[]): Promise<BatchResult[]> {
  const outcome = await snodeBatch(path, target, method, requests);
  const where = `${path.map(short).join(' → ')} ⇒ ${short(target)}`;
  // What desktop would see, whole (the status and text of a path error say which hop failed).
  if (outcome.kind !== 'ok') throw new Error(`${where}: ${JSON.stringify(outcome).slice(0, 400)}`);
  return (outcome as { results: BatchResult[] }).results;
}

describe('the node list from the seed, as desktop asks for it', () => {
  it('answers get_n_service_nodes with exactly application/json, the height and every field desktop reads, for every node', async () => {
    seed = await fetchSnodePoolFromSeed(net.seedUrl);
    pool = seed.pool;
    expect(seed.http.headers['content-type']).toBe('application/json');
    expect(seed.json.result.height).toEqual(expect.any(Number));
    for (const n of seed.json.result.service_node_states) {
      expect(n).toMatchObject({
        public_ip: '127.0.0.1',
        storage_port: expect.any(Number),
        pubkey_ed25519: expect.stringMatching(/^[0-9a-f]{64}$/),
        pubkey_x25519: expect.stringMatching(/^[0-9a-f]{64}$/),
        // Nobody is leaving: desktop drops nodes whose unlock height has passed.
        requested_unlock_height: 0,
      });
    }
    // More than desktop's minimum pool, and the whole map: storage nodes and relays alike.
    expect(pool.length).toBeGreaterThan(MIN_SNODE_POOL_COUNT);
    const map = await net.networkMap();
    expect(pool.map((n) => `${n.pubkey_ed25519}/${n.pubkey_x25519}/${n.port}`).sort()).toEqual(
      map.nodes.map((n) => `${n.pubkeyEd25519}/${n.pubkeyX25519}/${n.publicPort}`).sort(),
    );
    expect(pool.filter((n) => roles.get(n.pubkey_ed25519) === 'relay')).toHaveLength(net.relays.length);
    expect(pool.filter((n) => roles.get(n.pubkey_ed25519) === 'store')).toHaveLength(net.stores.length);
  });
});

describe('guards, tested over HTTPS', () => {
  it("every listed node passes desktop's guard test (a direct get_swarm) and Android's (get_stats, version ≥ 2.0.7)", async () => {
    const account = new DesktopAccount();
    for (const node of pool) {
      const desktop = await testGuardNode(node, account.sessionId);
      expect({ node: short(node), status: desktop.http.status, ok: desktop.ok }).toEqual({ node: short(node), status: 200, ok: true });
      const android = await androidTestSnode(node);
      expect(android.http.status).toBe(200);
      expect(android.version).toEqual(expect.any(String));
      const version = android.version as string;
      expect(kotlinStringAtLeast(version, '2.0.7')).toBe(true);
      expect(compareVersions(version, '2.0.7')).toBeGreaterThanOrEqual(0);
      // Nodes speak HTTPS only: desktop never tries plain HTTP, and plain HTTP gets no answer.
      const plain = await desktopFetch(`http://${node.ip}:${node.port}/get_stats/v1`, { method: 'GET', timeoutMs: 3_000 }).then((r) => r.status, () => 'refused');
      expect(plain).not.toBe(200);
    }
  });

  it('selects two guards and builds its two paths as desktop does: guard first, two other nodes, none twice', async () => {
    const account = new DesktopAccount();
    const guards = await selectGuardNodes(pool, account.sessionId);
    expect(guards).toHaveLength(2);
    const paths = buildOnionPaths(pool, guards);
    expect(paths).toHaveLength(2);
    const used = paths.flat().map((n) => n.pubkey_ed25519);
    expect(new Set(used).size).toBe(6);
    for (const [i, path] of paths.entries()) {
      expect(guards.map((g) => g.pubkey_ed25519)).toContain(path[0]!.pubkey_ed25519);
      expect(path.slice(1).some((n) => onPath(guards, n))).toBe(false);
      // Each of desktop's paths carries a storage RPC to a node outside it.
      const target = pool.find((n) => !paths.some((p) => onPath(p, n)))!;
      const [info] = await expectBatchOk(path, target, 'batch', [INFO_REQUEST]);
      expect({ path: i, code: info!.code }).toEqual({ path: i, code: 200 });
    }
  });
});

describe('3-hop paths drawn from the whole list', () => {
  beforeAll(() => {
    // A random order of the list and three distinct random offsets: path i is the nodes at i, i+a,
    // i+b, its destination the node at i+c. Every path has three distinct nodes, as desktop's, and
    // across the rounds every listed node is once a guard, a middle hop, an exit and a destination.
    const order = shuffle(pool);
    const n = order.length;
    const [a, b, c] = sampleSize(Array.from({ length: n - 1 }, (_, i) => i + 1), 3) as [number, number, number];
    rounds = order.map((_, i) => ({ path: [order[i]!, order[(i + a) % n]!, order[(i + b) % n]!], destination: order[(i + c) % n]! }));
  });

  it('info and get_swarm to random listed destinations succeed through every path, and every node names the same swarm', async () => {
    const account = new DesktopAccount();
    const swarms = new Set<string>();
    for (const { path, destination } of rounds) {
      const [info] = await expectBatchOk(path, destination, 'batch', [INFO_REQUEST]);
      expect(info!.code).toBe(200);
      expect(info!.body).toMatchObject({ version: expect.any(Array), t: expect.any(Number) });
      expect(compareVersions((info!.body.version as number[]).join('.'), '2.0.7')).toBeGreaterThanOrEqual(0);

      const [swarm] = await expectBatchOk(path, destination, 'batch', [account.getSwarm()]);
      expect(swarm!.code).toBe(200);
      const snodes = swarm!.body.snodes as Record<string, unknown>[];
      // requestSnodesForPubkeyWithTargetNodeRetryable: a non-empty list, no 0.0.0.0; desktop keeps the listed ones.
      expect(snodes.length).toBeGreaterThanOrEqual(1);
      for (const s of snodes) {
        expect(s.ip).not.toBe('0.0.0.0');
        const listed = pool.find((n) => n.pubkey_ed25519 === s.pubkey_ed25519);
        expect(listed && roles.get(listed.pubkey_ed25519)).toBe('store');
      }
      swarms.add(snodes.map((s) => s.pubkey_ed25519).sort().join(','));
    }
    expect(swarms.size).toBe(1);
  });

  it('a path patched as desktop patches it on a local devnet (the replacement may already be on it) still carries requests', async () => {
    // dropSnodeFromPath appends getRandomSnode's pick, which excludes nothing when useLocalDevNet
    // is on: a node can serve twice in one path, even next to itself.
    const [a, b, target] = sampleSize(pool, 3) as [Snode, Snode, Snode];
    for (const path of [[a, a, b], [a, b, a], [a, b, b]]) {
      const [info] = await expectBatchOk(path, target, 'batch', [INFO_REQUEST]);
      expect(info!.code).toBe(200);
    }
  });

  it("store and retrieve at members of the account's swarm succeed through every path", async () => {
    const accounts = await accountsInEverySwarm();
    const stored = new Map<DesktopAccount, string[]>();
    for (const { path } of rounds) {
      // getNodeFromSwarmOrThrow + getOnionPath({toExclude}): a swarm member that is not on the path.
      const [account, members] = shuffle([...accounts]).find(([, m]) => m.some((s) => !onPath(path, s)))!;
      const target = shuffle(members.filter((s) => !onPath(path, s)))[0]!;
      const data = randomBytes(120);
      const [store] = await expectBatchOk(path, target, 'sequence', [account.store(data)]);
      expect(store!.code).toBe(200);
      expect(store!.body.hash).toEqual(expect.any(String));
      stored.set(account, [...(stored.get(account) ?? []), toBase64(data)]);

      const [retrieve] = await expectBatchOk(path, target, 'batch', [account.retrieve()]);
      expect(retrieve!.code).toBe(200);
      expect((retrieve!.body.messages as { data: string }[]).map((m) => m.data)).toContain(toBase64(data));
    }
    // Desktop polls a random member each time: every member ends up with every message.
    for (const [account, members] of accounts) {
      for (const member of members) {
        await eventually(async () => {
          const [retrieve] = await expectBatchOk(pathAvoiding(member), member, 'batch', [account.retrieve()]);
          const got = (retrieve!.body.messages as { data: string }[]).map((m) => m.data);
          for (const want of stored.get(account) ?? []) if (!got.includes(want)) throw new Error(`${short(member)} lacks a message`);
        }, { timeoutMs: 20_000, intervalMs: 250 });
      }
    }
  });

  it("a node outside the account's swarm answers its store and retrieve with 421 and the right swarm; desktop's retry at a member succeeds", async () => {
    const account = new DesktopAccount();
    const [swarmAnswer] = await expectBatchOk(rounds[0]!.path, rounds[0]!.destination, 'batch', [account.getSwarm()]);
    const members = (swarmAnswer!.body.snodes as { pubkey_ed25519: string }[]).map((s) => s.pubkey_ed25519).sort();
    const outside = pool.filter((n) => !members.includes(n.pubkey_ed25519));
    expect(outside.filter((n) => roles.get(n.pubkey_ed25519) === 'relay')).toHaveLength(net.relays.length);
    for (const node of outside) {
      // Sending (a `sequence` of store) and polling (a `batch` of retrieve) alike.
      for (const [method, request] of [['sequence', () => account.store(randomBytes(40))], ['batch', () => account.retrieve()]] as const) {
        const outcome = await snodeBatch(pathAvoiding(node), node, method, [request()]);
        expect({ node: short(node), method, kind: outcome.kind }).toEqual({ node: short(node), method, kind: 'wrong-swarm' });
        const snodes = (outcome as Extract<typeof outcome, { kind: 'wrong-swarm' }>).snodes as { pubkey_ed25519: string }[];
        expect(snodes.map((s) => s.pubkey_ed25519).sort()).toEqual(members);
        // updateSwarmFor + getSwarmFor: the new swarm, as pool entries; then a random member.
        const swarm = pool.filter((n) => snodes.some((s) => s.pubkey_ed25519 === n.pubkey_ed25519));
        expect(swarm).toHaveLength(members.length);
        const member = swarm[randomInt(swarm.length)]!;
        const [retried] = await expectBatchOk(pathAvoiding(member), member, method, [request()]);
        expect(retried!.code).toBe(200);
      }
    }
  });

  it('refreshes its pool with oxend_request get_service_nodes through paths to 3 random nodes: at least 12 in common, the whole list', async () => {
    // Every listed node answers once: the shuffled list taken three at a time.
    const order = shuffle(pool);
    for (let i = 0; i + 3 <= order.length; i += 3) {
      // getSnodePoolFromSnodes asks the three at once.
      const lists = await Promise.all(
        order.slice(i, i + 3).map(async (node) => {
          const [answer] = await expectBatchOk(pathAvoiding(node), node, 'batch', [GET_SERVICE_NODES_REQUEST]);
          // getSnodePoolFromSnode: code 200 and a non-empty result.service_node_states.
          expect(answer!.code).toBe(200);
          expect(answer!.body.result.service_node_states.length).toBeGreaterThan(0);
          return poolFromServiceNodes(answer!.body);
        }),
      );
      const common = intersectByIpAndPort(lists);
      expect(common.length).toBeGreaterThanOrEqual(REQUIRED_SNODES_FOR_AGREEMENT_LOCAL);
      expect(common.map((n) => `${n.pubkey_ed25519}/${n.pubkey_x25519}`).sort()).toEqual(pool.map((n) => `${n.pubkey_ed25519}/${n.pubkey_x25519}`).sort());
    }
  });

  it('ons_resolve through paths to 3 random nodes gets what desktop reads as "not found"', async () => {
    const nameHash = toBase64(blake2b(utf8('alice'), 32));
    // getSessionIDForOnsName asks validationCount (3) random nodes at once.
    const answers = await Promise.all(sampleSize(pool, 3).map(async (node) => (await expectBatchOk(pathAvoiding(node), node, 'batch', [onsResolveRequest(nameHash)]))[0]!));
    for (const answer of answers) {
      // Code 200 with a body (else "Failed to resolve ONS"), then no result.encrypted_value → NotFoundError.
      expect(answer.code).toBe(200);
      expect(answer.body).toBeTruthy();
      expect(answer.body.result?.encrypted_value).toBeUndefined();
    }
  });
});

describe('attachments through onion paths, by their #p= Ed25519 link', () => {
  let fs: FileServerTarget;
  beforeAll(() => {
    fs = { url: net.edge.fileServer!.url, edPk: net.edge.fileServer!.pubkey, xPk: net.edge.fileServer!.x25519 };
  });

  /** uploadFileToFsWithOnionV4 through `path`; the link names the server by its Ed25519 key. */
  async function upload(path: Snode[], data: Uint8Array): Promise<string> {
    const uploaded = await uploadFileToFs(path, fs, data);
    expect({ exit: short(path[path.length - 1]!), uploaded }).toEqual({ exit: short(path[path.length - 1]!), uploaded: expect.any(Object) });
    expect(uploaded!.fileUrl).toMatch(new RegExp(`^${fs.url}/file/[A-Za-z0-9_-]+#p=${fs.edPk}$`));
    expect(uploaded!.expiresMs).toBeGreaterThan(Date.now());
    return uploaded!.fileUrl;
  }

  /** downloadFileFromFileServer through `path`: the bytes must come back as they went. */
  async function expectDownload(path: Snode[], link: string, data: Uint8Array): Promise<void> {
    const result = await downloadFileFromFs(path, link);
    // The X25519 key desktop derives from the link's Ed25519 key is the file server's onion key.
    expect(result.serverX25519).toBe(fs.xPk);
    const exit = short(path[path.length - 1]!);
    expect({ exit, kind: result.kind, status: (result as { status_code?: number }).status_code }).toEqual({ exit, kind: 'ok', status: 200 });
    const ok = result as Extract<typeof result, { kind: 'ok' }>;
    expect(ok.contentType).toBe('application/octet-stream');
    expect(Buffer.from(ok.bodyBinary).equals(Buffer.from(data))).toBe(true);
  }

  it('a file uploaded as desktop uploads to a custom file server comes back byte-identical by its link, whichever listed node is the exit', async () => {
    const data = randomBytes(1_000);
    const link = await upload(rounds[randomInt(rounds.length)]!.path, data);
    // Every listed node is the exit of one round: storage nodes reach the file server as relays do.
    for (const { path } of rounds) await expectDownload(path, link, data);
  });

  it('a 1,500,000-byte file goes up through a storage node exit and comes down through a relay exit, and the other way round', async () => {
    const exitIs = (role: string) => rounds.find((r) => roles.get(r.path[r.path.length - 1]!.pubkey_ed25519) === role)!.path;
    for (const [up, down] of [[exitIs('store'), exitIs('relay')], [exitIs('relay'), exitIs('store')]] as const) {
      const data = randomBytes(1_500_000);
      await expectDownload(down, await upload(up, data), data);
    }
  });

  it('a link to a file that is not there is a 404 from the server, not a path failure', async () => {
    const result = await downloadFileFromFs(rounds[0]!.path, `${fs.url}/file/${'Q'.repeat(44)}#p=${fs.edPk}`);
    expect({ kind: result.kind, status: (result as { status_code?: number }).status_code }).toEqual({ kind: 'server-error', status: 404 });
  });
});

describe('a proxy to a server not on the allow-list', () => {
  it('is answered with HTTP 200 and the error sealed for the exit, so desktop does not blame the path, which keeps working', async () => {
    // The seed's own address: an HTTP server, but not one listed nodes may reach.
    const refused = new URL(`${net.seedUrl.replace(/\/$/, '')}/file/anything`);
    for (const role of ['store', 'relay']) {
      const { path, destination } = rounds.find((r) => roles.get(r.path[r.path.length - 1]!.pubkey_ed25519) === role)!;
      const result = await sendViaOnionV4(path, net.edge.fileServer!.x25519, refused, { method: 'GET', headers: {} });
      // processOnionRequestErrorOnPath passes a 200, so neither the path nor its guard is counted
      // against; the server's key cannot open what the exit sealed, and desktop retries the request.
      expect({ role, status: result.sent.http.status, kind: result.kind }).toEqual({ role, status: 200, kind: 'undecodable' });
      const exitKey = result.sent.hopKeys[path.length - 1]!;
      const sealed = JSON.parse(Buffer.from(decryptOnionResponse(exitKey, result.sent.http.body.toString('utf8'), 'base64')).toString('utf8'));
      expect(sealed).toEqual({ status: 400, body: 'Invalid url' });
      const [info] = await expectBatchOk(path, destination, 'batch', [INFO_REQUEST]);
      expect(info!.code).toBe(200);
    }
  });
});

/** Two accounts in different swarms at least (as many as the network has), with their members as pool entries. */
async function accountsInEverySwarm(): Promise<Map<DesktopAccount, Snode[]>> {
  const storeCount = pool.filter((n) => roles.get(n.pubkey_ed25519) === 'store').length;
  const found = new Map<string, [DesktopAccount, Snode[]]>();
  let covered = 0;
  for (let tries = 0; tries < 64 && covered < storeCount; tries++) {
    const account = new DesktopAccount();
    const { path, destination } = rounds[tries % rounds.length]!;
    const [answer] = await expectBatchOk(path, destination, 'batch', [account.getSwarm()]);
    const members = pool.filter((n) => (answer!.body.snodes as { pubkey_ed25519: string }[]).some((s) => s.pubkey_ed25519 === n.pubkey_ed25519));
    const key = members.map((m) => m.pubkey_ed25519).sort().join(',');
    if (!found.has(key)) {
      found.set(key, [account, members]);
      covered += members.length;
    }
  }
  expect(found.size).toBeGreaterThanOrEqual(2);
  return new Map([...found.values()]);
}

/** Numeric comparison of dotted versions (what the version means, beside Android's string test). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
