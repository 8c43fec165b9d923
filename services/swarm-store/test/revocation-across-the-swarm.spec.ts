// Revocation is a swarm-wide change: through whichever member it arrives, every member of the
// group's swarm refuses the revoked token afterwards (a member that was down gets it from the
// retry queue, judged at the time the entry node received it), signs its own receipt, and lists
// the same revocations; an unrevoke reaches every member the same way.
import { ready, SubaccountFlag as F, verifyEd25519 } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { TestAccount, TestGroup } from './support/accounts';
import { applyMap, startClusterNode, type ClusterNode } from './support/cluster';

beforeAll(() => ready());

let nodes: ClusterNode[];
beforeAll(async () => {
  nodes = await Promise.all([startClusterNode(), startClusterNode(), startClusterNode()]);
  await applyMap(nodes, new Map([[0n, nodes]]));
});
afterAll(() => Promise.all(nodes.map((n) => n.close())));

/** A group with one message in namespace 11 and a member holding a Read|Write token. */
async function groupWithMember(): Promise<{ group: TestGroup; token: Buffer; read: (n: ClusterNode) => Promise<number> }> {
  const group = new TestGroup();
  const member = new TestAccount();
  const token = TestGroup.token(member, F.read | F.write);
  expect((await nodes[0]!.rpc('store', group.storeParams('hello members', { namespace: 11 }))).status).toBe(200);
  const read = async (n: ClusterNode) => (await n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: (text) => group.delegated(member, token, text) }))).status;
  return { group, token, read };
}

const statuses = (read: (n: ClusterNode) => Promise<number>) => Promise.all(nodes.map(read));

it('a revocation through one member is refused by every member; an unrevoke through another restores every member', async () => {
  const { group, token, read } = await groupWithMember();
  expect(await statuses(read)).toEqual([200, 200, 200]);

  const ts = Date.now();
  const revoked = await nodes[1]!.rpc('revoke_subaccount', group.revocationParams('revoke', [token], ts));
  expect(revoked.status).toBe(200);
  const receipt = Buffer.concat([Buffer.from(`${group.id}${ts}`), token]);
  expect(Object.keys(revoked.json.swarm).sort()).toEqual(nodes.map((n) => n.core.identity.ed25519Hex).sort());
  for (const [key, entry] of Object.entries<any>(revoked.json.swarm)) {
    expect(verifyEd25519(Buffer.from(entry.signature, 'base64'), receipt, Buffer.from(key, 'hex'))).toBe(true);
  }
  expect(await statuses(read)).toEqual([401, 401, 401]);
  for (const n of nodes) {
    const listed = await n.rpc('revoked_subaccounts', { pubkey: group.id, timestamp: ts, signature: group.sign(`revoked_subaccounts${ts}`) });
    expect(listed.json.revoked_subaccounts).toEqual([token.toString('base64')]);
  }

  const unrevoked = await nodes[2]!.rpc('unrevoke_subaccount', group.revocationParams('unrevoke', [token]));
  expect(unrevoked.status).toBe(200);
  expect(Object.values<any>(unrevoked.json.swarm).map((r) => r.count)).toEqual([1, 1, 1]);
  expect(await statuses(read)).toEqual([200, 200, 200]);
});

it('a member that was down when the revocation came refuses the token once it is back', async () => {
  const { group, token, read } = await groupWithMember();
  const late = nodes[2]!;
  await late.takeDown();
  let revoked;
  try {
    revoked = await nodes[0]!.rpc('revoke_subaccount', group.revocationParams('revoke', [token]));
    expect(revoked.status).toBe(200);
    expect(revoked.json.swarm[late.core.identity.ed25519Hex]).toMatchObject({ failed: true });
    expect(await read(nodes[0]!)).toBe(401);
    expect(await read(nodes[1]!)).toBe(401);
    expect(await read(late)).toBe(200); // it missed the revocation while unreachable
  } finally {
    await late.bringUp();
  }
  // The retry queue replays it to the member once it answers again.
  await eventually(async () => expect(await read(late)).toBe(401), 20_000);

  await late.takeDown();
  try {
    expect((await nodes[1]!.rpc('unrevoke_subaccount', group.revocationParams('unrevoke', [token]))).status).toBe(200);
    expect(await read(nodes[1]!)).toBe(200);
  } finally {
    await late.bringUp();
  }
  await eventually(async () => expect(await read(late)).toBe(200), 20_000);
});

it('a revocation forwarded by a peer is judged at the time the entry node received it', async () => {
  const { group, token, read } = await groupWithMember();
  const receivedMs = Date.now() - 10 * 60_000;
  const params = group.revocationParams('revoke', [token], receivedMs);
  // Signed ten minutes ago: a client sending it now is refused, a forward received then is applied.
  expect((await nodes[0]!.rpc('revoke_subaccount', params)).status).toBe(406);
  const replay = await nodes[0]!.core.dispatcher.call('revoke_subaccount', params as never, { nowMs: receivedMs, forwarded: true }, false);
  expect(replay.status).toBe(200);
  expect(await read(nodes[0]!)).toBe(401);
  expect(await read(nodes[1]!)).toBe(200); // a forwarded copy is not forwarded again
});

it('revoke_subaccount may be a subrequest of a sequence, as Session clients send it with the removal message', async () => {
  const { group, token, read } = await groupWithMember();
  const res = await nodes[0]!.rpc('sequence', {
    requests: [
      { method: 'revoke_subaccount', params: group.revocationParams('revoke', [token]) },
      { method: 'store', params: group.storeParams('you were removed', { namespace: -11 }) },
    ],
  });
  expect(res.json.results.map((r: { code: number }) => r.code)).toEqual([200, 200]);
  expect(Object.keys(res.json.results[0].body.swarm)).toHaveLength(3);
  expect(await statuses(read)).toEqual([401, 401, 401]);
});
