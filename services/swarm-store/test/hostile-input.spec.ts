// More than 200 malformed or hostile bodies over real HTTP: each gets a 4xx with a message, and
// the node keeps serving afterwards.
import { ready } from '@starling/crypto';
import { TestAccount } from './support/accounts';
import { startHttpNode, type HttpNode } from './support/http-node';

beforeAll(() => ready());

type Case = [string, string | Buffer];

function hostileBodies(account: TestAccount): Case[] {
  const cases: Case[] = [];
  const rpc = (method: unknown, params: unknown) => JSON.stringify({ method, params });

  // Not JSON at all, or not an object.
  for (const raw of ['', ' ', 'garbage', '{', '}', '{"method":', '[1,2', 'null', 'true', '42', '"info"', '[]', '[{"method":"info"}]',
    '{"method":"info","params":{}} trailing', '\u0000\u0001\u0002', '{method: "info"}', "{'method':'info'}", 'NaN', '{"a":1,}', '\uFEFF{"method":"info"}']) {
    cases.push([`non-JSON ${JSON.stringify(raw).slice(0, 30)}`, raw]);
  }
  cases.push(['binary bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256))]);
  cases.push(['deep arrays (100k)', '['.repeat(100_000) + ']'.repeat(100_000)]);
  cases.push(['deep objects (10k)', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)]);
  cases.push(['deep params (40)', rpc('store', JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)))]);
  cases.push(['huge number', '{"method":"retrieve","params":{"pubkey":"05' + 'a'.repeat(64) + '","timestamp":1e999999}}']);

  // Method field abuse.
  for (const method of [null, 1, 1.5, true, [], {}, '', ' ', 'STORE', 'store ', 'x'.repeat(100_000), '__proto__', 'constructor', 'toString',
    'ifelse', 'oxend_request', 'revoke_subaccount', 'monitor.messages', 'storage.store', '../../etc/passwd']) {
    cases.push([`method ${JSON.stringify(method).slice(0, 30)}`, rpc(method, {})]);
  }
  for (const params of [null, 1, 'x', [], true]) cases.push([`params ${JSON.stringify(params)}`, rpc('store', params)]);
  cases.push(['proto pollution', '{"method":"store","params":{"__proto__":{"pubkey":"05' + 'a'.repeat(64) + '"}}}']);

  // Field-level abuse for every account method.
  const badPubkeys = [1, null, '', '05', '05' + 'g'.repeat(64), '05' + 'a'.repeat(63), '05' + 'a'.repeat(65), 'a'.repeat(10_000), ['05' + 'a'.repeat(64)], { x: 1 }];
  const methods = ['store', 'retrieve', 'delete', 'delete_all', 'delete_before', 'expire', 'expire_all', 'get_expiries', 'get_swarm'];
  for (const method of methods) for (const pubkey of badPubkeys) cases.push([`${method} pubkey ${JSON.stringify(pubkey).slice(0, 20)}`, rpc(method, { pubkey })]);

  const store = account.storeParams('hostile');
  const fieldMutations: Record<string, unknown[]> = {
    timestamp: ['abc', -1, 0, 1.5, 1e300, null, [], {}, '１２３', 999_999_999],
    ttl: ['x', -1, 0, 1.5, 1e300, [], {}, 1, 9_999, 40 * 86_400_000],
    data: [1, '!!!', 'a', 'aGVsbG8=a', '====', 'x'.repeat(200_000), [], {}, 'aGVs bG8=', 'aGVsbG8=='],
    namespace: ['x', 1.5, 32_768, -32_769, 1e10, [], {}, '0', true, 'all'],
    signature: [1, 'x', 'A'.repeat(86), 'A'.repeat(87), '!'.repeat(86), 'A'.repeat(88), [], {}, 'A'.repeat(1000), 'AAAA'],
    pubkey_ed25519: [1, 'x', 'a'.repeat(63), 'g'.repeat(64), [], {}, 'a'.repeat(64), '00'.repeat(32)],
    subaccount: [1, 'x', 'A'.repeat(47), 'g'.repeat(72), [], 'A'.repeat(48)],
    expiry: ['x', 1.5, -1, [], {}],
  };
  for (const [field, values] of Object.entries(fieldMutations)) {
    for (const value of values) cases.push([`store ${field}=${JSON.stringify(value).slice(0, 20)}`, rpc('store', { ...store, namespace: field === 'signature' || field === 'pubkey_ed25519' || field === 'subaccount' ? 5 : store.namespace, [field]: value })]);
  }
  const messagesMutations = [1, 'x', [], [1], ['short'], ['A'.repeat(44)], ['!'.repeat(43)], Array.from({ length: 1001 }, () => 'A'.repeat(43)), [null], {}];
  for (const method of ['delete', 'expire', 'get_expiries']) {
    for (const messages of messagesMutations) cases.push([`${method} messages ${JSON.stringify(messages).slice(0, 20)}`, rpc(method, { pubkey: account.sessionId, messages, timestamp: Date.now(), expiry: Date.now() + 60_000, signature: 'A'.repeat(86) })]);
  }
  const ts = Date.now();
  cases.push(['retrieve wrong signature', rpc('retrieve', { pubkey: account.sessionId, timestamp: ts, signature: account.sign(`retrieve${ts + 1}`), pubkey_ed25519: account.ed25519Hex })]);
  cases.push(['retrieve max_count string', rpc('retrieve', { ...account.retrieveParams(), max_count: 'all' })]);
  cases.push(['retrieve max_count negative', rpc('retrieve', { ...account.retrieveParams(), max_count: -1 })]);
  cases.push(['retrieve max_size float', rpc('retrieve', { ...account.retrieveParams(), max_size: 0.5 })]);
  cases.push(['retrieve last_hash 44 chars', rpc('retrieve', { ...account.retrieveParams(), last_hash: 'A'.repeat(44) })]);
  cases.push(['delete_all namespace "ALL"', rpc('delete_all', { pubkey: account.sessionId, namespace: 'ALL', timestamp: ts, signature: 'A'.repeat(86) })]);
  cases.push(['delete_before before string', rpc('delete_before', { pubkey: account.sessionId, before: 'yesterday', signature: 'A'.repeat(86) })]);
  cases.push(['expire both modes', rpc('expire', { pubkey: account.sessionId, messages: ['A'.repeat(43)], expiry: ts + 60_000, shorten: true, extend: true })]);
  cases.push(['expire shorten not bool', rpc('expire', { pubkey: account.sessionId, messages: ['A'.repeat(43)], expiry: ts + 60_000, shorten: 'yes' })]);

  // Batches.
  cases.push(['batch nested batch', rpc('batch', { requests: [{ method: 'batch', params: { requests: [{ method: 'info', params: {} }] } }] })]);
  cases.push(['sequence nested sequence', rpc('sequence', { requests: [{ method: 'sequence', params: {} }] })]);
  cases.push(['batch nested ifelse', rpc('batch', { requests: [{ method: 'ifelse', params: {} }] })]);
  cases.push(['batch 21', rpc('batch', { requests: Array.from({ length: 21 }, () => ({ method: 'info', params: {} })) })]);
  cases.push(['batch 10k', rpc('batch', { requests: Array.from({ length: 10_000 }, () => ({ method: 'info', params: {} })) })]);
  cases.push(['batch empty', rpc('batch', { requests: [] })]);
  cases.push(['batch not a list', rpc('batch', { requests: { method: 'info' } })]);
  cases.push(['batch of strings', rpc('batch', { requests: ['info'] })]);
  cases.push(['batch missing requests', rpc('batch', {})]);
  cases.push(['sequence null requests', rpc('sequence', { requests: null })]);
  return cases;
}

describe('hostile request bodies', () => {
  let node: HttpNode;
  const account = () => new TestAccount(Buffer.alloc(32, 7));
  beforeAll(async () => (node = await startHttpNode({ SWARM_STORE_BUCKET_CAPACITY: '100000' })));
  afterAll(() => node.close());

  it('has at least 200 cases', () => {
    expect(hostileBodies(account()).length).toBeGreaterThanOrEqual(200);
  });

  it('answers every one with a 4xx and a message, and keeps serving', async () => {
    const failures: string[] = [];
    for (const [name, body] of hostileBodies(account())) {
      const res = await node.post('/storage_rpc/v1', body, { 'content-type': 'application/json' });
      if (res.status < 400 || res.status > 499 || res.text.trim() === '') failures.push(`${name}: ${res.status} ${res.text.slice(0, 80)}`);
    }
    expect(failures).toEqual([]);
    const info = await node.rpc('info', {});
    expect(info.status).toBe(200);
    const a = new TestAccount();
    expect((await node.rpc('store', a.storeParams('still here'))).status).toBe(200);
  });
});
