// A group account on a three-node swarm of real processes: the admin stores to the group
// namespaces 11-14, members read and write as their tokens allow on every node, and after the
// admin revokes a member (through one node) the member's retrieve gets 401 from every node of the
// swarm, while the unrevocable namespace -11 still answers it; unrevoking restores it everywhere.
import { ready } from '@starling/crypto';
import { Flags, GroupAccount, GroupMember } from './support/group-account';
import { SwarmNetwork } from './support/swarm-network';
import type { NodeProcess } from './support/swarm-store-process';

const GROUP_NAMESPACES = [11, 12, 13, 14];

let net: SwarmNetwork;
let nodes: NodeProcess[];
let group: GroupAccount;

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(3);
  nodes = [...net.nodes];
  group = new GroupAccount();
  for (const n of nodes) await net.waitForSwarm(n, group.id, nodes);
});
afterAll(() => net.stop());

const texts = (res: { json: any }) => (res.json?.messages ?? []).map((m: { data: string }) => Buffer.from(m.data, 'base64').toString());
const statuses = (ask: (n: NodeProcess) => Promise<{ status: number }>) => Promise.all(nodes.map(async (n) => (await ask(n)).status));

it('the admin stores to the group namespaces 11-14; a member reads and writes as its token allows, on every node', async () => {
  for (const [i, ns] of GROUP_NAMESPACES.entries()) {
    const res = await nodes[i % nodes.length]!.rpc('store', group.store(`admin wrote ${ns}`, ns));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.swarm)).toHaveLength(3);
  }
  const writer = new GroupMember();
  const asWriter = { member: writer, ...group.tokenFor(writer, Flags.read | Flags.write) };
  const reader = new GroupMember();
  const asReader = { member: reader, ...group.tokenFor(reader, Flags.read) };

  for (const n of nodes) for (const ns of GROUP_NAMESPACES) expect(texts(await n.rpc('retrieve', group.retrieve(ns, asReader)))).toEqual([`admin wrote ${ns}`]);
  expect((await nodes[1]!.rpc('store', group.store('a member wrote', 11, asWriter))).status).toBe(200);
  expect(await statuses((n) => n.rpc('store', group.store('a reader wrote', 11, asReader)))).toEqual([401, 401, 401]);
  for (const n of nodes) expect(texts(await n.rpc('retrieve', group.retrieve(11, asWriter))).sort()).toEqual(['a member wrote', 'admin wrote 11']);
  expect(await statuses((n) => n.rpc('retrieve', { pubkey: group.id, namespace: 11 }))).toEqual([401, 401, 401]);
});

it('after the admin revokes a member through one node, every node refuses it (except in -11); unrevoking restores it', async () => {
  const member = new GroupMember();
  const as = { member, ...group.tokenFor(member, Flags.read | Flags.write) };
  expect((await nodes[0]!.rpc('store', group.store('you were removed', -11))).status).toBe(200);
  expect(await statuses((n) => n.rpc('retrieve', group.retrieve(11, as)))).toEqual([200, 200, 200]);

  const revoked = await nodes[2]!.rpc('revoke_subaccount', group.revocation('revoke', [as.token]));
  expect(revoked.status).toBe(200);
  expect(Object.values<any>(revoked.json.swarm).filter((r) => typeof r.signature === 'string')).toHaveLength(3);
  expect(await statuses((n) => n.rpc('retrieve', group.retrieve(11, as)))).toEqual([401, 401, 401]);
  expect(await statuses((n) => n.rpc('store', group.store('still here?', 11, as)))).toEqual([401, 401, 401]);
  for (const n of nodes) {
    expect(texts(await n.rpc('retrieve', group.retrieve(-11, as)))).toEqual(['you were removed']);
    expect((await n.rpc('revoked_subaccounts', group.revokedList())).json.revoked_subaccounts).toEqual([as.token.toString('base64')]);
  }

  const unrevoked = await nodes[0]!.rpc('unrevoke_subaccount', group.revocation('unrevoke', [as.token]));
  expect(unrevoked.status).toBe(200);
  expect(Object.values<any>(unrevoked.json.swarm).map((r) => r.count)).toEqual([1, 1, 1]);
  expect(await statuses((n) => n.rpc('retrieve', group.retrieve(11, as)))).toEqual([200, 200, 200]);
});
