// Benchmark (not part of the test run): what a client spends on private groups (issue 19).
//   1. Posting to groups of 2, 10 and 100 members: client time and storage-RPC bytes per post,
//      and the number of stores (one, into the group's swarm, whatever the member count).
//   2. Key rotation after removing one member from 100 (and from 10): time and bytes.
// Same-run baseline: a 1:1 text of the same length through MessageSender (a copy for the
// recipient and a sync copy), on the same in-process swarm.
//
// The swarm here is in process (it signs store receipts with a node key as a storage node does),
// so what is measured is the client: encryption, signing, request building, receipt checking.
// Onion routing adds the same per-request cost to either side (see onion-latency).
// Run: `node test/dist/bench/run.js private-groups` after `npx tsc -b test/tsconfig.build.json`.
// Knobs (env): BENCH_POSTS (400 per group size and for the baseline, in 4 interleaved rounds so
// that machine noise hits all alike), BENCH_REMOVALS (5 per group size).
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AccountStore,
  GroupActions,
  GroupStore,
  MessageSender,
  openGroup,
  type ServiceNode,
  type SwarmAccess,
} from '@starling/client';
import { fromBase64, fromHex, generateIdentity, messageHash, ready, signEd25519, toBase64, toHex, utf8 } from '@starling/crypto';
import { intEnv } from './bench-env';

const POSTS = intEnv('BENCH_POSTS', 400);
const ROUNDS = 4;
const REMOVALS = intEnv('BENCH_REMOVALS', 5);
const TEXT = 'A message of an ordinary length, about as long as people write in a group chat.';

type Params = Record<string, unknown>;

/**
 * Answers the storage RPCs a client sends (store, sequence, batch, retrieve, delete, revoke) and
 * counts them: every store gets a receipt signed by the node's key; retrieve finds nothing.
 */
class CountingSwarm implements SwarmAccess {
  readonly clock = { now: () => Date.now() };
  private readonly node = generateIdentity().identity;
  private readonly members: ServiceNode[] = [
    { role: 'store', ed25519: toHex(this.node.ed25519.publicKey), x25519: toHex(this.node.x25519.publicKey), ip: '127.0.0.1', port: 1, swarmId: '0' },
  ];
  stores = 0;
  requests = 0;
  bytes = 0;
  /** Bytes of the stored messages by namespace, since the last reset. */
  readonly stored = new Map<number, number>();

  async swarmOf(): Promise<ServiceNode[]> {
    return this.members;
  }

  async request(_pubkey: string, method: string, params: () => Params): Promise<{ status: number; body: unknown }> {
    const p = params();
    this.requests++;
    this.bytes += Buffer.byteLength(JSON.stringify({ method, params: p }));
    return { status: 200, body: this.answer(method, p) };
  }

  reset(): void {
    this.stores = this.requests = this.bytes = 0;
    this.stored.clear();
  }

  private answer(method: string, p: Params): unknown {
    if (method === 'batch' || method === 'sequence') {
      return { results: (p.requests as Array<{ method: string; params: Params }>).map((r) => ({ code: 200, body: this.answer(r.method, r.params) })) };
    }
    if (method === 'store') {
      this.stores++;
      const ns = p.namespace as number;
      this.stored.set(ns, (this.stored.get(ns) ?? 0) + fromBase64(p.data as string).length);
      const hash = messageHash(fromHex(p.pubkey as string, 33), p.namespace as number, fromBase64(p.data as string));
      return { hash, swarm: { [this.members[0].ed25519]: { hash, signature: toBase64(signEd25519(this.node.ed25519.secretKey, utf8(hash))) } } };
    }
    if (method === 'retrieve') return { messages: [], more: false };
    return {};
  }
}

interface Measured {
  msPerOp: number;
  bytesPerOp: number;
  storesPerOp: number;
}

async function measure(swarm: CountingSwarm, times: number, op: (i: number) => Promise<unknown>): Promise<Measured> {
  swarm.reset();
  const started = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await op(i);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { msPerOp: ms / times, bytesPerOp: swarm.bytes / times, storesPerOp: swarm.stores / times };
}

const folders: string[] = [];
function account(): AccountStore {
  const home = mkdtempSync(join(tmpdir(), 'starling-bench-groups-'));
  folders.push(home);
  const store = new AccountStore(home);
  store.createIdentity(generateIdentity().seed16);
  return store;
}

const row = (label: string, m: Measured, base: Measured) =>
  `${label.padEnd(34)} ${m.msPerOp.toFixed(2).padStart(8)} ms ${(m.msPerOp / base.msPerOp).toFixed(2).padStart(6)}x ${Math.round(m.bytesPerOp).toString().padStart(8)} B ${(m.bytesPerOp / base.bytesPerOp).toFixed(2).padStart(6)}x ${m.storesPerOp.toFixed(2).padStart(6)} stores`;

async function main(): Promise<void> {
  await ready();
  const swarm = new CountingSwarm();
  const alice = account();
  const actions = new GroupActions(alice, new GroupStore(alice.home), swarm);
  const groups = new Map<number, string>();
  for (const size of [2, 10, 100]) {
    const members = Array.from({ length: size - 1 }, () => generateIdentity().identity.sessionId);
    groups.set(size, (await actions.create(`bench ${size}`, members)).groupId);
  }

  // Warm-up (JIT, zstd): a few posts and 1:1 sends.
  const sender = new MessageSender(alice, swarm);
  const bob = generateIdentity().identity.sessionId;
  for (let i = 0; i < 20; i++) {
    await sender.sendText(bob, TEXT);
    for (const id of groups.values()) await actions.send(id, TEXT);
  }

  const rounds = new Map<string, Measured[]>();
  const record = (key: string, m: Measured) => rounds.set(key, [...(rounds.get(key) ?? []), m]);
  for (let round = 0; round < ROUNDS; round++) {
    record('baseline', await measure(swarm, POSTS / ROUNDS, () => sender.sendText(bob, TEXT)));
    for (const [size, id] of groups) record(String(size), await measure(swarm, POSTS / ROUNDS, () => actions.send(id, TEXT)));
  }
  const mean = (key: string): Measured => {
    const all = rounds.get(key)!;
    const avg = (f: (m: Measured) => number) => all.reduce((n, m) => n + f(m), 0) / all.length;
    return { msPerOp: avg((m) => m.msPerOp), bytesPerOp: avg((m) => m.bytesPerOp), storesPerOp: avg((m) => m.storesPerOp) };
  };
  const baseline = mean('baseline');
  const posts = new Map([...groups.keys()].map((size) => [size, mean(String(size))]));

  console.log(`posting (${POSTS} each; text ${TEXT.length} bytes)        time/op  ratio   bytes/op  ratio  stores/op`);
  console.log(row('1:1 text (baseline)', baseline, baseline));
  for (const [size, m] of posts) console.log(row(`group of ${size}`, m, baseline));
  const flat = posts.get(100)!.msPerOp / posts.get(2)!.msPerOp;
  const flatBytes = posts.get(100)!.bytesPerOp / posts.get(2)!.bytesPerOp;
  console.log(`group of 100 / group of 2: time ${flat.toFixed(2)}x, bytes ${flatBytes.toFixed(2)}x, stores ${posts.get(100)!.storesPerOp}/${posts.get(2)!.storesPerOp} (flat: one store to the group swarm)`);

  console.log(`\nkey rotation after removing one member (${REMOVALS} removals each)`);
  for (const size of [10, 100]) {
    const id = groups.get(size)!;
    const group = openGroup(alice, new GroupStore(alice.home), id);
    const victims = group.configs.members.sessionIds().filter((m) => m !== alice.identity().sessionId).slice(0, REMOVALS);
    const removal = await measure(swarm, victims.length, (i) => actions.remove(id, [victims[i]]));
    console.log(row(`remove 1 of ${size}`, removal, baseline));
    const per = (ns: number) => Math.round((swarm.stored.get(ns) ?? 0) / victims.length);
    console.log(`  stored per removal: keys ${per(12)} B, info ${per(13)} B, members ${per(14)} B, notice (-11) ${per(-11)} B, announcement ${per(11)} B`);
  }
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const f of folders) rmSync(f, { recursive: true, force: true });
  });
