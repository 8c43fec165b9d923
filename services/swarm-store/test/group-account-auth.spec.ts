// Group accounts (03 + the group's Ed25519 key) as upstream serves them, each rule asked of every
// member of a three-node swarm. Upstream has no namespace rule of its own for 03 accounts: the
// group's namespaces 11 (messages), 12 (keys), 13 (info) and 14 (members) are private ones (every
// operation signed), 0 and other multiples of 10 are public inboxes, -21 style public outboxes,
// -11 style unrevocable. The admin signs with the group key itself; a member signs with its own
// key through a token the admin signed, and needs the flag each method asks for: Read (retrieve,
// get_expiries), Write (store; expire, which only extends without Delete), Delete (delete*,
// expire_all, shortening; with Write to store to a public outbox).
import { ready, SubaccountFlag as F, verifyEd25519 } from '@starling/crypto';
import { TestAccount, TestGroup } from './support/accounts';
import { applyMap, startClusterNode, type ClusterNode } from './support/cluster';

beforeAll(() => ready());

const GROUP_NAMESPACES = [11, 12, 13, 14];

/** The member's tokens, by what they allow. */
function memberTokens(member: TestAccount) {
  return {
    read: TestGroup.token(member, F.read),
    write: TestGroup.token(member, F.write),
    readWrite: TestGroup.token(member, F.read | F.write),
    all: TestGroup.token(member, F.read | F.write | F.delete),
    sessionPrefix: TestGroup.token(member, F.read | F.write, 0x05),
    anyPrefix: TestGroup.token(member, F.read | F.write | F.anyPrefix, 0x05),
    revoked: TestGroup.token(member, F.read | F.write | F.delete | F.anyPrefix),
  };
}

let nodes: ClusterNode[];
let group: TestGroup;
let member: TestAccount;
let tokens: ReturnType<typeof memberTokens>;
/** Signs through `token` as the member. */
const via = (token: Buffer) => (text: string) => group.delegated(member, token, text);

beforeAll(async () => {
  group = new TestGroup();
  member = new TestAccount();
  tokens = memberTokens(member);
  nodes = await Promise.all([startClusterNode(), startClusterNode(), startClusterNode()]);
  await applyMap(nodes, new Map([[0n, nodes]]));
  for (const ns of [...GROUP_NAMESPACES, -11]) expect((await nodes[0]!.rpc('store', group.storeParams(`admin wrote ${ns}`, { namespace: ns }))).status).toBe(200);
  expect((await nodes[1]!.rpc('revoke_subaccount', group.revocationParams('revoke', [tokens.revoked]))).status).toBe(200);
});
afterAll(() => Promise.all(nodes.map((n) => n.close())));

/** A message the admin stores (through the member under test) for the rows that need a hash. */
async function adminMessage(node: ClusterNode, ns = 11): Promise<string> {
  const res = await node.rpc('store', group.storeParams(`to change ${Math.random()}`, { namespace: ns }));
  expect(res.status).toBe(200);
  return res.json.hash;
}

function expireParams(hash: string, by: (text: string) => object, mode: 'shorten' | 'extend' | '', expiry: number) {
  return { pubkey: group.id, messages: [hash], expiry, ...(mode ? { [mode]: true } : {}), ...by(`expire${mode}${expiry}${hash}`) };
}

interface Rule {
  rule: string;
  status: number;
  /** The refusal's text, where the status alone could have another cause. */
  reason?: RegExp;
  ask(node: ClusterNode): Promise<{ status: number; json: any; body: unknown }>;
}

const RULES: Rule[] = [
  ...GROUP_NAMESPACES.map((ns) => ({
    rule: `the admin key stores to and reads namespace ${ns}`,
    status: 200,
    async ask(node: ClusterNode) {
      expect((await node.rpc('store', group.storeParams('admin', { namespace: ns }))).status).toBe(200);
      const read = await node.rpc('retrieve', group.retrieveParams({ namespace: ns }));
      expect(read.json.messages.length).toBeGreaterThan(0);
      return read;
    },
  })),
  ...GROUP_NAMESPACES.map((ns) => ({
    rule: `an unsigned store to namespace ${ns} is refused`,
    status: 401,
    ask: (node: ClusterNode) => node.rpc('store', { ...group.storeParams('x', { namespace: ns }), signature: undefined }),
  })),
  ...GROUP_NAMESPACES.map((ns) => ({
    rule: `an unsigned retrieve of namespace ${ns} is refused`,
    status: 401,
    ask: (node: ClusterNode) => node.rpc('retrieve', { pubkey: group.id, namespace: ns }),
  })),
  { rule: 'anyone may store to the group\'s public inbox 0 unsigned', status: 200, ask: (n) => n.rpc('store', { ...group.storeParams('invite reply', { namespace: 0 }), signature: undefined }) },
  { rule: 'the group\'s inbox 0 is read only with a signature', status: 401, ask: (n) => n.rpc('retrieve', { pubkey: group.id }) },
  { rule: 'a 30-day TTL is allowed in a group namespace', status: 200, ask: (n) => n.rpc('store', group.storeParams('long', { namespace: 11, ttl: 30 * 86_400_000 })) },
  { rule: 'pubkey_ed25519 is refused for a 03 account', status: 400, ask: (n) => n.rpc('retrieve', { ...group.retrieveParams({ namespace: 11 }), pubkey_ed25519: member.ed25519Hex }) },
  { rule: 'a Read token reads', status: 200, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.read) })) },
  { rule: 'a Read token does not store', status: 401, reason: /lacks the required permission/, ask: (n) => n.rpc('store', group.storeParams('x', { namespace: 11, by: via(tokens.read) })) },
  { rule: 'a Write-only token stores', status: 200, ask: (n) => n.rpc('store', group.storeParams('member wrote', { namespace: 11, by: via(tokens.write) })) },
  { rule: 'a Write-only token does not read', status: 401, reason: /lacks the required permission/, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.write) })) },
  {
    rule: 'get_expiries needs Read',
    status: 401,
    reason: /lacks the required permission/,
    async ask(n) {
      const hash = await adminMessage(n);
      const ts = Date.now();
      const ok = await n.rpc('get_expiries', { pubkey: group.id, messages: [hash], timestamp: ts, ...via(tokens.read)(`get_expiries${ts}${hash}`) });
      expect(ok.json.expiries[hash]).toEqual(expect.any(Number));
      return n.rpc('get_expiries', { pubkey: group.id, messages: [hash], timestamp: ts, ...via(tokens.write)(`get_expiries${ts}${hash}`) });
    },
  },
  {
    rule: 'delete needs Delete',
    status: 200,
    async ask(n) {
      const hash = await adminMessage(n);
      expect((await n.rpc('delete', { pubkey: group.id, messages: [hash], ...via(tokens.readWrite)(`delete${hash}`) })).status).toBe(401);
      return n.rpc('delete', { pubkey: group.id, messages: [hash], ...via(tokens.all)(`delete${hash}`) });
    },
  },
  {
    rule: 'delete_all needs Delete',
    status: 401,
    reason: /lacks the required permission/,
    async ask(n) {
      const ts = Date.now();
      return n.rpc('delete_all', { pubkey: group.id, namespace: 13, timestamp: ts, ...via(tokens.readWrite)(`delete_all13${ts}`) });
    },
  },
  {
    rule: 'without Delete, expire cannot shorten (400) and only extends',
    status: 400,
    reason: /cannot shorten/,
    async ask(n) {
      const hash = await adminMessage(n);
      const later = Date.now() + 120_000;
      const extended = await n.rpc('expire', expireParams(hash, via(tokens.readWrite), '', later));
      for (const r of Object.values<any>(extended.json.swarm)) expect(r.updated).toEqual([hash]);
      const soonerMs = Date.now() + 20_000;
      const sooner = await n.rpc('expire', expireParams(hash, via(tokens.readWrite), '', soonerMs));
      for (const [key, r] of Object.entries<any>(sooner.json.swarm)) {
        // Extending by implication, as upstream: nothing is "unchanged" in the answer or the receipt.
        expect(r).toMatchObject({ updated: [], expiry: soonerMs });
        expect(r.unchanged).toBeUndefined();
        expect(verifyEd25519(Buffer.from(r.signature, 'base64'), Buffer.from(`${group.id}${soonerMs}${hash}`), Buffer.from(key, 'hex'))).toBe(true);
      }
      // The signature is checked before the shorten rule: a bad one is a 401, not a 400.
      const forged = { ...expireParams(hash, via(tokens.readWrite), 'shorten', soonerMs), signature: member.sign('something else') };
      expect((await n.rpc('expire', forged)).status).toBe(401);
      expect((await n.rpc('expire', expireParams(hash, via(tokens.all), 'shorten', Date.now() + 20_000))).status).toBe(200);
      return n.rpc('expire', expireParams(hash, via(tokens.readWrite), 'shorten', Date.now() + 15_000));
    },
  },
  { rule: 'a public outbox (-21) store needs Write and Delete', status: 401, reason: /lacks the required permission/, ask: (n) => n.rpc('store', group.storeParams('x', { namespace: -21, by: via(tokens.readWrite) })) },
  { rule: 'a public outbox (-21) store with Write and Delete is accepted', status: 200, ask: (n) => n.rpc('store', group.storeParams('profile', { namespace: -21, by: via(tokens.all) })) },
  { rule: 'a token for 05 accounts does not open a group', status: 401, reason: /different account type/, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.sessionPrefix) })) },
  { rule: 'a token with AnyPrefix opens the group whatever its prefix', status: 200, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.anyPrefix) })) },
  {
    rule: 'a token signed by another group\'s key is refused',
    status: 401,
    reason: /subaccount signature verification failed/,
    ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: (text) => ({ ...via(tokens.read)(text), subaccount_sig: new TestGroup().sign(tokens.read) }) })),
  },
  {
    rule: 'a request with a token must be signed by the token\'s key, not the admin\'s',
    status: 401,
    reason: /^retrieve signature verification failed$/,
    ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: (text) => ({ ...via(tokens.read)(text), signature: group.sign(text) }) })),
  },
  { rule: 'a token whose flags were changed after signing is refused', status: 401, reason: /subaccount signature verification failed/, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: (text) => ({ ...via(tokens.read)(text), subaccount: Buffer.from([3, 7, 0, 0, ...tokens.read.subarray(4)]).toString('base64') }) })) },
  { rule: 'a revoked token does not read', status: 401, reason: /has been revoked/, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.revoked) })) },
  { rule: 'a revoked token does not store', status: 401, reason: /has been revoked/, ask: (n) => n.rpc('store', group.storeParams('x', { namespace: 11, by: via(tokens.revoked) })) },
  { rule: 'a revoked token still reads the unrevocable namespace -11', status: 200, ask: (n) => n.rpc('retrieve', group.retrieveParams({ namespace: -11, by: via(tokens.revoked) })) },
  { rule: 'a revoked token does not store to the unrevocable namespace -11', status: 401, reason: /has been revoked/, ask: (n) => n.rpc('store', group.storeParams('x', { namespace: -11, by: via(tokens.revoked) })) },
];

describe.each([0, 1, 2])('asked of member %i', (i) => {
  it.each(RULES)('$rule: $status', async ({ ask, status, reason }) => {
    const res = await ask(nodes[i]!);
    expect({ status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ status, body: undefined });
    if (reason) expect(res.body).toMatch(reason);
  });
});

it('what a member wrote and what the admin wrote is held by every member', async () => {
  for (const n of nodes) {
    const read = await n.rpc('retrieve', group.retrieveParams({ namespace: 11, by: via(tokens.read) }));
    const texts = read.json.messages.map((m: { data: string }) => Buffer.from(m.data, 'base64').toString());
    expect(texts).toEqual(expect.arrayContaining(['admin wrote 11', 'member wrote', 'admin', 'long']));
  }
});
