// storage-onion 1.11: the signature vectors, as a table. Each row is signed by the vector account
// and must be accepted by the node at the vector's time.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { vectorAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

const TS = 1_700_000_000_000;
const SESSION_ID = '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01';
const ED25519 = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';

const VECTORS = [
  { signed: `retrieve${TS}`, signature: 'RmRCJ3nPhaFug4AB8jINXur5kyTGwHO1bsHA7cXrxLyQ5EXbDGkrSB3LKQzymcuvtAyW+rlkdJx66UX28NliDw==', method: 'retrieve', params: { timestamp: TS } },
  { signed: `retrieve2${TS}`, signature: 'JsgbO8n+RdOn49uadQ/tiLaloQ0Feqho5Bfe7aIPR/nd6Z7IBz/IWyAf7qDtTY1Jy4zKVqQXdei/O13/cWFpAg==', method: 'retrieve', params: { timestamp: TS, namespace: 2 } },
  { signed: `store2${TS}`, signature: '4Ky0fUtkfoO1FXiC4EajtUfuze4UbM+Ob/gbBgzN4SelP6H/QNmrG523BCqldf8yKZDJ3yYffdYp6/cyUf8YCg==', method: 'store', params: { timestamp: TS, namespace: 2, ttl: 60_000, data: 'aGVsbG8=' } },
  { signed: `delete_all${TS}`, signature: '2nyGhKczKRcMBUCqmwJdODS8HtFYM02tWaC95vUEsVXyczUDz9/xuZnhtaQ8i0/sJ9f9EY1xl/2qfTfUt+cFDQ==', method: 'delete_all', params: { timestamp: TS } },
  { signed: `delete_allall${TS}`, signature: 'YQyILGAq+EuIyzxxRAVumYDmPXtV75Bo37ffvubZfzK1UGT7vR4JnisuD/qijc3N3++4NKIvbOdeIgYCKGrmCw==', method: 'delete_all', params: { timestamp: TS, namespace: 'all' } },
];

beforeAll(() => ready());

it('the vector account is the one of the reference', () => {
  const account = vectorAccount();
  expect(account.sessionId).toBe(SESSION_ID);
  expect(account.ed25519Hex).toBe(ED25519);
});

describe.each(testDatabases())('signature vectors on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => {
    node = await openCore(backend);
  });
  afterAll(() => node.close());

  it.each(VECTORS)('$signed', async ({ signed, signature, method, params }) => {
    expect(vectorAccount().sign(signed)).toBe(signature);
    const res = await node.rpc(method, { pubkey: SESSION_ID, pubkey_ed25519: ED25519, signature, ...params }, { nowMs: TS });
    expect(res.status).toBe(200);
  });

  it.each(VECTORS)('$signed with one character changed is refused with 401', async ({ signature, method, params }) => {
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    const res = await node.rpc(method, { pubkey: SESSION_ID, pubkey_ed25519: ED25519, signature: flipped, ...params }, { nowMs: TS });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/signature verification failed/);
  });

  it('stores "hello" in namespace 0 under the reference hash', async () => {
    const res = await node.rpc('store', { pubkey: SESSION_ID, timestamp: Date.now(), ttl: 60_000, data: 'aGVsbG8=' });
    expect(res.status).toBe(200);
    expect(res.json.hash).toBe('gwTFi7xJfaW/kuECEKV+HwjKWozToGIYTM7R9KyaH7M');
  });
});
