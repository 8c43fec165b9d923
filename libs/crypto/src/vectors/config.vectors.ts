// Config encryption. Source: client.md 9.5 (libsession tests/test_encrypt.cpp).

export const configEncryptionVectors = [
  {
    name: 'test-suite1',
    plaintext: 'some message 1',
    keyBase: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
    domain: 'test-suite1',
    ciphertext:
      'f14f242a26638f3305707d1035e734577f943cd7d28af58e32637e0966dcaf2f4860cb4d0f8ba7e09d29e31f5e4a18f65847287a54a0',
    nonce: 'af2f4860cb4d0f8ba7e09d29e31f5e4a18f65847287a54a0',
  },
];

/** Only the nonce is published for the second domain. */
export const configNonceVectors = [
  { plaintext: 'some message 1', domain: 'test-suite2', nonce: '277e639d36ba46470dfff509a68cb73d9a96386c51739bdd' },
];
