// A three-node swarm as real processes: a message stored through any member is retrievable from
// every member; paging; signed deletes reach every member; expiry; 421 re-routing to another swarm.
import { ready } from '@starling/crypto';
import { eventually, request } from '@starling/platform';
import { SessionAccount } from './support/session-account';
import { SwarmNetwork } from './support/swarm-network';
import type { NodeProcess } from './support/swarm-store-process';

let net: SwarmNetwork;
let members: NodeProcess[];

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(3);
  members = [...net.nodes];
  for (const n of members) await net.waitForSwarm(n, new SessionAccount().sessionId, members);
});
afterAll(() => net.stop());

const hashesOn = async (node: NodeProcess, account: SessionAccount, namespace = 0) => {
  const res = await node.rpc('retrieve', account.retrieve({ namespace }));
  if (res.status !== 200) throw new Error(`retrieve ${res.status}: ${res.text}`);
  return (res.json.messages as { hash: string }[]).map((m) => m.hash);
};

it('a message stored through any member can be retrieved from every member', async () => {
  const account = new SessionAccount();
  const stored: string[] = [];
  for (const [i, entry] of members.entries()) {
    const res = await entry.rpc('store', account.store(`via member ${i}`));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.swarm)).toHaveLength(3);
    stored.push(res.json.hash);
  }
  for (const n of members) expect((await hashesOn(n, account)).sort()).toEqual([...stored].sort());
});

it('pages through a member with last_hash and max_count', async () => {
  const account = new SessionAccount();
  for (let i = 0; i < 5; i++) expect((await members[0]!.rpc('store', account.store(`page ${i}`))).status).toBe(200);
  const reader = members[2]!;
  const first = await reader.rpc('retrieve', account.retrieve({ max_count: 2 }));
  expect(first.json).toMatchObject({ more: true });
  expect(first.json.messages).toHaveLength(2);
  const second = await reader.rpc('retrieve', account.retrieve({ max_count: 10, last_hash: first.json.messages[1].hash }));
  expect(second.json.messages).toHaveLength(3);
  expect(second.json.more).toBe(false);
});

it('a signed delete through one member removes the message from every member', async () => {
  const account = new SessionAccount();
  const keep = (await members[1]!.rpc('store', account.store('keep'))).json.hash;
  const drop = (await members[1]!.rpc('store', account.store('drop'))).json.hash;
  const res = await members[0]!.rpc('delete', { pubkey: account.sessionId, messages: [drop], ...account.auth(`delete${drop}`) });
  expect(res.status).toBe(200);
  for (const entry of Object.values<any>(res.json.swarm)) expect(entry.deleted).toEqual([drop]);
  for (const n of members) expect(await hashesOn(n, account)).toEqual([keep]);
  const unsigned = await members[0]!.rpc('delete', { pubkey: account.sessionId, messages: [keep] });
  expect(unsigned.status).toBe(401);
});

it('expired messages disappear from every member', async () => {
  const account = new SessionAccount();
  expect((await members[0]!.rpc('store', account.store('brief', { ttl: 10_000 }))).status).toBe(200);
  for (const n of members) expect(await hashesOn(n, account)).toHaveLength(1);
  await eventually(async () => {
    for (const n of members) expect(await hashesOn(n, account)).toEqual([]);
  }, 30_000);
});

it('421 sends the client to the right swarm, where the store then succeeds', async () => {
  const far = await net.addNode();
  net.registry.place(far.ed25519, 1n << 63n);
  // An account that the new two-swarm map gives to the far swarm.
  const { closestSwarm, swarmSpacePosition } = await import('@starling/crypto');
  let account: SessionAccount;
  do account = new SessionAccount();
  while (closestSwarm(swarmSpacePosition(Buffer.from(account.sessionId, 'hex')), [0n, 1n << 63n]) !== 1n << 63n);
  await net.waitForSwarm(members[0]!, account.sessionId, [far]);
  const wrong = await members[0]!.rpc('store', account.store('where do I go'));
  expect(wrong.status).toBe(421);
  expect(wrong.json.swarm).toBe('8000000000000000');
  const target = wrong.json.snodes[0];
  expect(target.pubkey_ed25519).toBe(far.ed25519);
  const res = await request(`https://${target.ip}:${target.port_https}/storage_rpc/v1`, { method: 'POST', body: JSON.stringify({ method: 'store', params: account.store('rerouted') }) });
  expect(res.status).toBe(200);
});
