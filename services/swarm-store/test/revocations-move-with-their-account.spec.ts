// A member that joins a swarm, and the new swarm of an account that moves, refuse the account's
// revoked tokens like the members that saw the revocation: revocation lists travel with the
// account's messages (even for an account with no message left), through the retry queue when the
// receiver is down, and the old swarm drops them after the grace period.
import { ready, SubaccountFlag as F } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { pushMessagesSigningBytes } from '@starling/proto';
import { TestAccount, TestGroup } from './support/accounts';
import { applyMap, startClusterNode, type ClusterNode } from './support/cluster';

beforeAll(() => ready());

interface RevokedMember {
  group: TestGroup;
  token: Buffer;
  /** The status of the member's retrieve (namespace 11) on a node. */
  read(node: ClusterNode): Promise<number>;
}

/** A group whose member's token was revoked through `entry`; with a message in 11 unless `empty`. */
async function revokedMember(entry: ClusterNode, opts: { empty?: boolean } = {}): Promise<RevokedMember> {
  const group = new TestGroup();
  const member = new TestAccount();
  const token = TestGroup.token(member, F.read | F.write);
  if (!opts.empty) expect((await entry.rpc('store', group.storeParams('for members', { namespace: 11 }))).status).toBe(200);
  expect((await entry.rpc('revoke_subaccount', group.revocationParams('revoke', [token]))).status).toBe(200);
  const read = async (n: ClusterNode) => (await n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: (text) => group.delegated(member, token, text) }))).status;
  return { group, token, read };
}

const held = (node: ClusterNode, g: RevokedMember) => node.core.revocations.isRevoked(Buffer.from(g.group.id, 'hex'), g.token);

let nodes: ClusterNode[];
beforeAll(async () => {
  nodes = await Promise.all(Array.from({ length: 5 }, () => startClusterNode({ handoverGrace: 1_000 })));
});
afterAll(() => Promise.all(nodes.map((n) => n.close())));

it('revocations reach a joining member and the new swarm of a moving account, and leave the old swarm after the grace period', async () => {
  const [a, b, c, d, e] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode, ClusterNode];
  await applyMap(nodes, new Map([[0n, [a, b]]]));
  const groups = await Promise.all(Array.from({ length: 8 }, (_, i) => revokedMember(i % 2 ? a : b, { empty: i % 4 === 0 })));

  // c joins swarm 0: it refuses every revoked member from then on.
  await applyMap(nodes, new Map([[0n, [a, b, c]]]));
  await eventually(async () => {
    for (const g of groups) expect(await held(c, g)).toBe(true);
  }, 20_000);
  for (const g of groups) expect(await g.read(c)).toBe(401);

  // A second swarm (2^63) with d and e appears: groups closer to it move there with their lists.
  const far = 1n << 63n;
  await applyMap(nodes, new Map([[0n, [a, b, c]], [far, [d, e]]]));
  const moving = groups.filter((g) => a.core.currentView().swarmOf(Buffer.from(g.group.id, 'hex')) === far);
  const staying = groups.filter((g) => !moving.includes(g));
  expect(moving.length).toBeGreaterThan(0);
  expect(staying.length).toBeGreaterThan(0);
  await eventually(async () => {
    for (const g of moving) for (const n of [d, e]) expect(await held(n, g)).toBe(true);
  }, 20_000);
  for (const g of moving) for (const n of [d, e]) expect(await g.read(n)).toBe(401);
  // After the grace period the old swarm drops the lists it handed over, and keeps the rest.
  await eventually(async () => {
    for (const g of moving) for (const n of [a, b, c]) expect(await held(n, g)).toBe(false);
  }, 20_000);
  for (const g of staying) for (const n of [a, b, c]) expect(await held(n, g)).toBe(true);
});

it('a joining member that cannot be reached gets the lists through the retry queue', async () => {
  const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
  await applyMap(nodes, new Map([[0n, [a, b]]]));
  const g = await revokedMember(a, { empty: true });
  await c.takeDown();
  try {
    await applyMap(nodes, new Map([[0n, [a, b, c]]]));
    expect(await held(c, g)).toBe(false);
  } finally {
    await c.bringUp();
  }
  await eventually(async () => expect(await held(c, g)).toBe(true), 20_000);
  expect(await g.read(c)).toBe(401);
});

it('a pushed revocation must be covered by the pushing node\'s signature and well formed', async () => {
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  await applyMap(nodes, new Map([[0n, [a, b]]]));
  const from = b.core.identity.ed25519Hex;
  const timestampMs = String(Date.now());
  const revocation = { pubkey: Buffer.from(new TestGroup().id, 'hex'), token: TestGroup.token(new TestAccount(), F.read), revokedMs: timestampMs };
  const push = (revocations: (typeof revocation)[], signed: (typeof revocation)[]) =>
    a.core.pushReceiver.receive({ messages: [], fromPubkeyEd25519: from, timestampMs, revocations, signature: Buffer.from(b.core.identity.sign(pushMessagesSigningBytes(from, timestampMs, [], signed))) });
  await expect(push([revocation], [])).rejects.toMatchObject({ reason: 'bad-signature' });
  const short = { ...revocation, token: revocation.token.subarray(1) };
  await expect(push([short], [short])).rejects.toMatchObject({ reason: 'malformed' });
  expect(await a.core.revocations.isRevoked(revocation.pubkey, revocation.token)).toBe(false);
  await push([revocation], [revocation]);
  expect(await a.core.revocations.isRevoked(revocation.pubkey, revocation.token)).toBe(true);
});
