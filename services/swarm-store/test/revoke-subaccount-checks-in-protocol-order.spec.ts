// revoke_subaccount / unrevoke_subaccount / revoked_subaccounts: their checks in upstream's order
// — fields (400) -> wrong swarm (421) -> clock, ±60 s (406) -> account-key signature (401) — and
// the limits: at most 50 tokens per revoke, the newest 50 revocations kept per account.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount, TestGroup } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';
import { twoSwarms } from './support/views';

beforeAll(() => ready());

/** A group that the view places in (or out of) this node's swarm. */
function groupWhere(node: CoreHandle, mine: boolean): TestGroup {
  for (;;) {
    const g = new TestGroup();
    if (node.core.currentView().isMine(Buffer.from(g.id, 'hex')) === mine) return g;
  }
}

const tokens = (n: number) => Array.from({ length: n }, () => TestGroup.token(new TestAccount(), 0x03));

describe.each(testDatabases())('revocation checks on $name', (backend) => {
  let node: CoreHandle;
  let group: TestGroup;
  beforeAll(async () => {
    node = await openCore(backend, { view: twoSwarms });
    group = groupWhere(node, true);
  });
  afterAll(() => node.close());

  it.each([
    ['no signature', (p: Record<string, unknown>) => ({ ...p, signature: undefined }), 'invalid request: missing required field "signature"'],
    ['no timestamp', (p: Record<string, unknown>) => ({ ...p, timestamp: undefined }), 'invalid request: missing required field "timestamp"'],
    ['no tokens', (p: Record<string, unknown>) => ({ ...p, revoke: undefined }), 'invalid request: missing required field "revoke"'],
    ['a token of 35 bytes', (p: Record<string, unknown>) => ({ ...p, revoke: Buffer.alloc(35).toString('hex') }), 'invalid request: "revoke" holds a value that is not a 36-byte token in base64 (48 characters) or hex (72)'],
    ['a list holding a number', (p: Record<string, unknown>) => ({ ...p, revoke: [1] }), 'invalid request: "revoke" must be a subaccount token or a list of them'],
    ['51 tokens', (p: Record<string, unknown>) => ({ ...p, ...group.revocationParams('revoke', tokens(51)) }), 'invalid request: "revoke" lists more than 50 subaccount tokens'],
    ['pubkey_ed25519 on a 03 account', (p: Record<string, unknown>) => ({ ...p, pubkey_ed25519: 'ab'.repeat(32) }), 'pubkey_ed25519 is only permitted for 05[...] pubkeys'],
  ])('400 for %s', async (_what, change, message) => {
    const res = await node.rpc('revoke_subaccount', change(group.revocationParams('revoke', tokens(1))));
    expect(res).toMatchObject({ status: 400, body: message });
  });

  it('421 before the clock and the signature', async () => {
    const foreign = groupWhere(node, false);
    const stale = { ...foreign.revocationParams('revoke', tokens(1), Date.now() - 120_000), signature: group.sign('nonsense') };
    const res = await node.rpc('revoke_subaccount', stale);
    expect(res.status).toBe(421);
    expect(res.json.swarm).toBe('8000000000000000');
  });

  it.each(['revoke', 'unrevoke'] as const)('%s: 406 for a timestamp more than 60 s off, before the signature', async (change) => {
    const method = `${change}_subaccount`;
    for (const offset of [-61_000, 61_000]) {
      const params = { ...group.revocationParams(change, tokens(1), Date.now() + offset), signature: group.sign('nonsense') };
      expect((await node.rpc(method, params)).status).toBe(406);
    }
    expect((await node.rpc(method, group.revocationParams(change, tokens(1), Date.now() - 55_000))).status).toBe(200);
  });

  it('401 for a signature over other tokens or by another key', async () => {
    const [a, b] = tokens(2);
    const overOther = { ...group.revocationParams('revoke', [a!]), signature: (group.revocationParams('revoke', [b!]) as { signature: string }).signature };
    expect(await node.rpc('revoke_subaccount', overOther)).toMatchObject({ status: 401, body: expect.stringMatching(/^revoke_subaccount signature verification failed/) });
    const byOther = { ...group.revocationParams('revoke', [a!]), signature: new TestGroup().sign(Buffer.concat([Buffer.from(`revoke_subaccount${Date.now()}`), a!])) };
    expect((await node.rpc('revoke_subaccount', byOther)).status).toBe(401);
  });

  it('tokens may be given as hex, and a single token without a list', async () => {
    const [t] = tokens(1);
    const params = group.revocationParams('revoke', [t!]);
    const res = await node.rpc('revoke_subaccount', { ...params, revoke: t!.toString('hex') });
    expect(res.status).toBe(200);
    expect(await node.core.revocations.isRevoked(Buffer.from(group.id, 'hex'), t!)).toBe(true);
  });

  it('revoked_subaccounts: 400 without a signature, 406 off the clock, 401 when not signed by the account key', async () => {
    const g = groupWhere(node, true);
    const ts = Date.now();
    expect((await node.rpc('revoked_subaccounts', { pubkey: g.id, timestamp: ts })).status).toBe(400);
    expect((await node.rpc('revoked_subaccounts', { pubkey: g.id, timestamp: ts - 61_000, signature: g.sign(`revoked_subaccounts${ts - 61_000}`) })).status).toBe(406);
    expect((await node.rpc('revoked_subaccounts', { pubkey: g.id, timestamp: ts, signature: new TestGroup().sign(`revoked_subaccounts${ts}`) })).status).toBe(401);
    expect(await node.rpc('revoked_subaccounts', { pubkey: g.id, timestamp: ts, signature: g.sign(`revoked_subaccounts${ts}`) })).toMatchObject({ status: 200, json: { revoked_subaccounts: [] } });
  });

  it('an account keeps its newest 50 revocations; revoking a held token again makes it the newest', async () => {
    const g = groupWhere(node, true);
    const owner = Buffer.from(g.id, 'hex');
    const [first, second] = tokens(2);
    const t0 = Date.now() - 30_000;
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', [first!, second!], t0), { nowMs: t0 })).status).toBe(200);
    // 48 more fill the list; then `first` is revoked again, later, and moves to the front.
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', tokens(48), t0 + 1), { nowMs: t0 + 1 })).status).toBe(200);
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', [first!], t0 + 2), { nowMs: t0 + 2 })).status).toBe(200);
    expect(await node.core.revocations.list(owner)).toHaveLength(50);
    // One more pushes out the oldest, which is now `second`.
    const [extra] = tokens(1);
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', [extra!], t0 + 3), { nowMs: t0 + 3 })).status).toBe(200);
    const held = await node.core.revocations.list(owner);
    expect(held).toHaveLength(50);
    expect(held.some((t) => t.equals(second!))).toBe(false);
    expect(held.slice(-2)).toEqual([first, extra]);
  });

  it('within one request the last token listed is the newest', async () => {
    const g = groupWhere(node, true);
    const fifty = tokens(50);
    const t0 = Date.now();
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', fifty, t0), { nowMs: t0 })).status).toBe(200);
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', tokens(1), t0), { nowMs: t0 })).status).toBe(200);
    const held = await node.core.revocations.list(Buffer.from(g.id, 'hex'));
    expect(held.slice(0, 49)).toEqual(fifty.slice(1));
  });

  it('a token listed twice in one revoke is one revocation', async () => {
    const g = groupWhere(node, true);
    const [t, u] = tokens(2);
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', [t!, u!, t!]))).status).toBe(200);
    expect(await node.core.revocations.list(Buffer.from(g.id, 'hex'))).toEqual([u, t]);
  });

  it('unrevoke takes any number of tokens and counts those it removed', async () => {
    const g = groupWhere(node, true);
    const held = tokens(3);
    expect((await node.rpc('revoke_subaccount', g.revocationParams('revoke', held))).status).toBe(200);
    const res = await node.rpc('unrevoke_subaccount', g.revocationParams('unrevoke', [...held, ...tokens(58)]));
    expect(res.status).toBe(200);
    expect(Object.values<{ count: number }>(res.json.swarm).map((r) => r.count)).toEqual([3]);
    expect(await node.core.revocations.list(Buffer.from(g.id, 'hex'))).toEqual([]);
  });
});
