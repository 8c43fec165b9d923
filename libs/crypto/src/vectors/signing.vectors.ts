// Ed25519 signature vectors. Ed25519 is deterministic, so the bytes are pinned.
// Sources: client.md 9.1; storage-onion.md 1.11 (storage RPC signature strings, base64).

export interface SignatureVector {
  source: string;
  seed: string; // hex, 32 bytes
  message: string; // UTF-8
  signature: string;
  encoding: 'hex' | 'base64';
}

const STORAGE_SEED = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export const signatureVectors: SignatureVector[] = [
  {
    source: 'client.md 9.1',
    seed: '4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7',
    message: 'hello',
    signature:
      'e03b6e87a53d83f202f2501e9b52193dbe4a64c6503f88244948dee5327185011574589aa7b59bc9757f9b9c31b7be9c9212b92ac7c81e029ee21c338ee12405',
    encoding: 'hex',
  },
  {
    source: 'storage-onion.md 1.11 retrieve',
    seed: STORAGE_SEED,
    message: 'retrieve1700000000000',
    signature: 'RmRCJ3nPhaFug4AB8jINXur5kyTGwHO1bsHA7cXrxLyQ5EXbDGkrSB3LKQzymcuvtAyW+rlkdJx66UX28NliDw==',
    encoding: 'base64',
  },
  {
    source: 'storage-onion.md 1.11 retrieve ns 2',
    seed: STORAGE_SEED,
    message: 'retrieve21700000000000',
    signature: 'JsgbO8n+RdOn49uadQ/tiLaloQ0Feqho5Bfe7aIPR/nd6Z7IBz/IWyAf7qDtTY1Jy4zKVqQXdei/O13/cWFpAg==',
    encoding: 'base64',
  },
  {
    source: 'storage-onion.md 1.11 store ns 2',
    seed: STORAGE_SEED,
    message: 'store21700000000000',
    signature: '4Ky0fUtkfoO1FXiC4EajtUfuze4UbM+Ob/gbBgzN4SelP6H/QNmrG523BCqldf8yKZDJ3yYffdYp6/cyUf8YCg==',
    encoding: 'base64',
  },
  {
    source: 'storage-onion.md 1.11 delete_all',
    seed: STORAGE_SEED,
    message: 'delete_all1700000000000',
    signature: '2nyGhKczKRcMBUCqmwJdODS8HtFYM02tWaC95vUEsVXyczUDz9/xuZnhtaQ8i0/sJ9f9EY1xl/2qfTfUt+cFDQ==',
    encoding: 'base64',
  },
  {
    source: 'storage-onion.md 1.11 delete_all all',
    seed: STORAGE_SEED,
    message: 'delete_allall1700000000000',
    signature: 'YQyILGAq+EuIyzxxRAVumYDmPXtV75Bo37ffvubZfzK1UGT7vR4JnisuD/qijc3N3++4NKIvbOdeIgYCKGrmCw==',
    encoding: 'base64',
  },
];

/**
 * client.md 9.6: desktop's snode signature test pins the signed strings, not the bytes; these
 * are signed and verified (and must fail under the other key).
 */
export const snodeSignatureStrings = {
  groupSeed: '4db38882cf0a0fffcbb971eb2b1420c92bc836c6946cd97bdc0c2787b806549d',
  groupId: '030442ca9b758eefe0c42370696688b28f48f44bf44941fae4f3d5b41f6358c41d',
  userSeed16: 'b0e12943e22e8f71774c2c4205fed598',
  messages: ['retrieve13' + '1234', 'store12' + '1234'],
};
