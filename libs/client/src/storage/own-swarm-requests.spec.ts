import { fromBase64, fromHex, identityFromSeed, ready, utf8, verifyEd25519 } from '@starling/crypto';
import { OwnSwarmRequests } from './own-swarm-requests';
import { deleteSignatureText, expireSignatureText, retrieveSignatureText, storeSignatureText } from './signatures';
import { retrieveMaxSizes } from './retrieve-sizes';

// storage-onion.md 1.11: Ed seed 000102…1f, ts 1700000000000.
const SEED = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const SESSION_ID = '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01';
const ED25519 = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';
const TS = 1700000000000;
const HASH_A = 'gwTFi7xJfaW/kuECEKV+HwjKWozToGIYTM7R9KyaH7M';
const HASH_B = '4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs';

const SIGNED_REQUESTS: Array<[string, string, string, (r: OwnSwarmRequests) => Record<string, unknown>]> = [
  ['retrieve ns 0', 'retrieve1700000000000', 'RmRCJ3nPhaFug4AB8jINXur5kyTGwHO1bsHA7cXrxLyQ5EXbDGkrSB3LKQzymcuvtAyW+rlkdJx66UX28NliDw==', (r) => r.retrieve(0, TS, undefined, -1)],
  ['retrieve ns 2', 'retrieve21700000000000', 'JsgbO8n+RdOn49uadQ/tiLaloQ0Feqho5Bfe7aIPR/nd6Z7IBz/IWyAf7qDtTY1Jy4zKVqQXdei/O13/cWFpAg==', (r) => r.retrieve(2, TS, HASH_A, -8)],
  ['store ns 2', 'store21700000000000', '4Ky0fUtkfoO1FXiC4EajtUfuze4UbM+Ob/gbBgzN4SelP6H/QNmrG523BCqldf8yKZDJ3yYffdYp6/cyUf8YCg==', (r) => r.store(2, TS, 1000, utf8('x'))],
];

describe('signed storage requests for the own swarm', () => {
  let requests: OwnSwarmRequests;
  beforeAll(async () => {
    await ready();
    const identity = identityFromSeed(SEED);
    expect(identity.sessionId).toBe(SESSION_ID);
    requests = new OwnSwarmRequests(identity);
  });

  it.each(SIGNED_REQUESTS)('%s signs exactly %s (published vector)', (_name, _text, signature, build) => {
    const params = build(requests);
    expect(params.signature).toBe(signature);
    expect(params.pubkey).toBe(SESSION_ID);
    expect(params.pubkey_ed25519).toBe(ED25519);
  });

  it('builds the signature texts as the protocol writes them', () => {
    expect(retrieveSignatureText(0, TS)).toBe('retrieve1700000000000');
    expect(retrieveSignatureText(-10, TS)).toBe('retrieve-101700000000000');
    expect(storeSignatureText(3, TS)).toBe('store31700000000000');
    expect(expireSignatureText('shorten', TS, [HASH_A, HASH_B])).toBe(`expireshorten1700000000000${HASH_A}${HASH_B}`);
    expect(expireSignatureText('', TS, [HASH_A])).toBe(`expire1700000000000${HASH_A}`);
    expect(deleteSignatureText([HASH_A, HASH_B])).toBe(`delete${HASH_A}${HASH_B}`);
  });

  it('retrieve carries namespace, timestamp, last_hash and the negative max_size', () => {
    expect(requests.retrieve(2, TS, HASH_A, -8)).toMatchObject({ namespace: 2, timestamp: TS, last_hash: HASH_A, max_size: -8 });
    expect(requests.retrieve(0, TS, undefined, -1).last_hash).toBe('');
  });

  it('stores to namespace 0 without a signature and to owner namespaces with one', () => {
    const inbox = requests.store(0, TS, 60_000, utf8('hello'));
    expect(inbox).toEqual({ pubkey: SESSION_ID, namespace: 0, timestamp: TS, ttl: 60_000, data: 'aGVsbG8=' });
    expect(requests.store(3, TS, 60_000, utf8('hello'))).toHaveProperty('signature');
  });

  it('expire shorten signs mode, expiry and hashes in request order and sets the flag', () => {
    const params = requests.expire('shorten', TS, [HASH_B, HASH_A]);
    expect(params).toMatchObject({ messages: [HASH_B, HASH_A], expiry: TS, shorten: true });
    const identity = identityFromSeed(SEED);
    const signature = fromBase64(params.signature as string);
    expect(verifyEd25519(signature, utf8(`expireshorten${TS}${HASH_B}${HASH_A}`), identity.ed25519.publicKey)).toBe(true);
    expect(verifyEd25519(signature, utf8(`expireshorten${TS}${HASH_A}${HASH_B}`), identity.ed25519.publicKey)).toBe(false);
  });

  it('delete signs the hashes and carries them as messages', () => {
    const params = requests.delete([HASH_A]);
    expect(params.messages).toEqual([HASH_A]);
    const identity = identityFromSeed(SEED);
    expect(verifyEd25519(fromBase64(params.signature as string), utf8(`delete${HASH_A}`), identity.ed25519.publicKey)).toBe(true);
  });
});

describe('retrieve max_size fractions (client.md 3.3 desktop vectors)', () => {
  it.each([
    [[0], [-1]],
    [[0, 2, 3, 4, 5], [-2, -8, -8, -8, -8]],
    [[11, 13, 14, 12, -11], [-2, -8, -8, -8, -8]],
    [[0, 3, 2], [-2, -4, -4]],
    [[2], [-1]],
  ])('%j → %j', (namespaces, sizes) => {
    expect(retrieveMaxSizes(namespaces)).toEqual(sizes);
  });
});
