// The network under store load loses no acknowledged message when, at once, a storage node of
// every swarm, a relay and the registry are killed with SIGKILL (issue 15): clients store
// directly and through onion paths, retry elsewhere when a request fails, and every message a
// swarm acknowledged is held by the survivors of its swarm, and by every member once the killed
// processes are back.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildOnionRequest, decryptOnionResponse, fromHex, parseSnodeOnionReply, ready } from '@starling/crypto';
import { eventually, request, uniqueName } from '@starling/platform';
import { common } from '@starling/proto';
import { edgeServices, startDevnet, type Devnet, type ServiceProcess } from '../src/devnet';
import { SessionAccount } from './support/session-account';

const schemaPrefix = uniqueName('faults');
const ACCOUNTS = 24;
const WORKERS = 8;
/** Acknowledged stores before the kills, and in all. */
const KILL_AFTER = 250;
const TARGET = 1_000;

interface Node {
  process: ServiceProcess;
  url: string;
  ed25519: string;
  x25519: string;
  swarm: string;
}

let devnet: Devnet | undefined;

beforeAll(async () => {
  await ready();
  devnet = await startDevnet({
    dataDir: mkdtempSync(join(tmpdir(), 'starling-faults-')),
    storeNodes: 6,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    schemaPrefix,
    extraServices: edgeServices({ relays: 3, fileServer: false, community: false }, {}),
  });
}, 300_000);

afterAll(() => devnet?.discard(), 60_000);

async function rpc(url: string, method: string, params: unknown): Promise<{ status: number; json: any }> {
  const res = await request(`${url}/storage_rpc/v1`, { body: JSON.stringify({ method, params }), headers: { 'content-type': 'application/json' } });
  return { status: res.status, json: res.headers['content-type'] === 'application/json' ? JSON.parse(res.text) : res.text };
}

/** A storage RPC through a one-relay path, opened as a client opens it. */
async function onionRpc(guard: Node, destination: Node, method: string, params: unknown): Promise<{ status: number; json: any }> {
  const keys = (n: Node) => ({ ed25519: fromHex(n.ed25519, 32), x25519: fromHex(n.x25519, 32) });
  const built = buildOnionRequest({ path: [keys(guard)], destination: { kind: 'snode', ...keys(destination) }, payload: Buffer.from(JSON.stringify({ method, params })) });
  const res = await request(`${guard.url}/onion_req/v2`, { body: built.body });
  if (res.status !== 200) return { status: res.status, json: res.text };
  const reply = parseSnodeOnionReply(decryptOnionResponse(built.responseKey, res.body, 'base64'));
  return { status: reply.status, json: reply.body };
}

/** Every hash `account` has on `node`, page by page. */
async function heldOn(node: Node, account: SessionAccount): Promise<Set<string>> {
  const hashes = new Set<string>();
  let last: string | undefined;
  for (;;) {
    const res = await rpc(node.url, 'retrieve', account.retrieve({ max_count: 500, ...(last ? { last_hash: last } : {}) }));
    if (res.status !== 200) throw new Error(`retrieve from ${node.process.name}: ${res.status}`);
    for (const m of res.json.messages) hashes.add(m.hash);
    if (!res.json.more) return hashes;
    last = res.json.messages.at(-1).hash;
  }
}

it('keeps every acknowledged store when a storage node of each swarm, a relay and the registry are SIGKILLed under load', async () => {
  const net = devnet!;
  // Who is who, from the signed map.
  const map = await eventually(async () => {
    const m = await net.networkMap();
    expect(m.nodes.filter((n) => n.role === common.NodeRole.NODE_ROLE_RELAY)).toHaveLength(3);
    expect(new Set(m.nodes.filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE).map((n) => n.swarmId)).size).toBe(2);
    return m;
  }, 60_000);
  const byPort = new Map(net.services.map((p) => [p.spec.httpPort, p]));
  const nodes: Node[] = map.nodes.map((n) => ({ process: byPort.get(n.publicPort)!, url: `https://${n.publicIp}:${n.publicPort}`, ed25519: n.pubkeyEd25519, x25519: n.pubkeyX25519, swarm: n.swarmId }));
  const stores = nodes.filter((n) => n.process.spec.service === 'swarm-store');
  const relays = nodes.filter((n) => n.process.spec.service === 'entry-relay');

  const accounts = Array.from({ length: ACCOUNTS }, () => new SessionAccount());
  const swarmOf = new Map<SessionAccount, Node[]>();
  for (const a of accounts) {
    const answer = await rpc(stores[0]!.url, 'get_swarm', { pubkey: a.sessionId });
    swarmOf.set(a, (answer.json.snodes as { pubkey_ed25519: string }[]).map((s) => stores.find((n) => n.ed25519 === s.pubkey_ed25519)!));
  }
  const swarmIds = [...new Set(stores.map((s) => s.swarm))];
  // Every swarm holds some of the accounts.
  expect(new Set(accounts.map((a) => swarmOf.get(a)![0]!.swarm)).size).toBe(swarmIds.length);

  const victims = [...swarmIds.map((id) => stores.find((s) => s.swarm === id)!), relays[0]!];
  const acknowledged = new Map<SessionAccount, string[]>(accounts.map((a) => [a, []]));
  let acks = 0;
  let refused = 0;
  let killing: Promise<unknown> | undefined;
  const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

  const worker = async (w: number) => {
    for (let i = 0; acks < TARGET; i++) {
      const account = accounts[(w + i * WORKERS) % ACCOUNTS]!;
      const entry = pick(swarmOf.get(account)!);
      const params = account.store(`message ${w}.${i}`);
      try {
        const res = i % 2 === 0 ? await rpc(entry.url, 'store', params) : await onionRpc(pick(relays), entry, 'store', params);
        if (res.status === 200 && typeof res.json?.hash === 'string') {
          acknowledged.get(account)!.push(res.json.hash);
          acks++;
        } else refused++;
      } catch {
        refused++; // refused or reset: not acknowledged; a client tries again elsewhere
      }
      if (acks >= KILL_AFTER && !killing) {
        killing = Promise.all([...victims.map((v) => v.process.kill('SIGKILL')), net.registries[0]!.kill('SIGKILL')]);
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  await killing;
  expect(acks).toBeGreaterThanOrEqual(TARGET);
  console.info(`acknowledged ${acks}, not acknowledged ${refused}; killed ${victims.map((v) => v.process.name).join(', ')} and the registry after ${KILL_AFTER}`);

  // The survivors of each swarm hold every message their swarm acknowledged (once retry queues ran).
  const missingOn = async (holders: (a: SessionAccount) => Node[]) => {
    const missing: string[] = [];
    for (const a of accounts) {
      for (const node of holders(a)) {
        const held = await heldOn(node, a);
        const lost = acknowledged.get(a)!.filter((h) => !held.has(h));
        if (lost.length > 0) missing.push(`${node.process.name}: ${lost.length} of ${a.sessionId.slice(0, 8)}`);
      }
    }
    return missing;
  };
  await eventually(async () => expect(await missingOn((a) => swarmOf.get(a)!.filter((n) => !victims.includes(n)))).toEqual([]), 60_000);

  // The killed come back with their data, and every member of each account's swarm holds all of it.
  await net.registries[0]!.start();
  await net.registries[0]!.waitReady();
  for (const v of victims) await v.process.start();
  await Promise.all(victims.map((v) => v.process.waitReady(120_000)));
  const survivor = stores.find((s) => !victims.includes(s))!;
  await eventually(
    async () => {
      // The swarms as the map has them now (the registry may have re-formed them meanwhile).
      const now = new Map<SessionAccount, Node[]>();
      for (const a of accounts) {
        const answer = await rpc(survivor.url, 'get_swarm', { pubkey: a.sessionId });
        now.set(a, (answer.json.snodes as { pubkey_ed25519: string }[]).map((m) => stores.find((n) => n.ed25519 === m.pubkey_ed25519)!));
      }
      expect(await missingOn((a) => now.get(a)!)).toEqual([]);
    },
    { timeoutMs: 120_000, intervalMs: 1_000 },
  );
}, 600_000);
