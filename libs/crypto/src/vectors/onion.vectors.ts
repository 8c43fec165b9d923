// Onion layer vectors. Sources: storage-onion.md 3.8 and client.md 9.4 (libsession
// tests/test_onionreq.cpp); storage-server round-trip keys from storage-onion.md 3.8
// (unit_test/encrypt.cpp, which pins no ciphertexts).

export interface X25519Pair {
  publicKey: string; // hex
  secretKey: string; // hex
}

export interface LayerVector {
  name: string;
  client: X25519Pair;
  hop: X25519Pair;
  encType: 'aes-gcm' | 'xchacha20';
  /** The derived symmetric layer key. */
  key: string;
  /** nonce/IV ‖ ciphertext ‖ tag. */
  ciphertext: string;
  plaintext: string; // UTF-8
  /** Byte positions whose flip must make decryption fail (beyond "every byte"). */
  tamperAt: number[];
}

export interface FramedRequestVector {
  name: string;
  client: X25519Pair;
  hop: X25519Pair;
  encType: 'aes-gcm' | 'xchacha20';
  /** Wire `enc_type` string in the JSON. */
  wireEncType: string;
  key: string;
  /** LE32 length ‖ ciphertext ‖ JSON, exactly as the hop receives it. */
  request: string;
  payloadLength: number;
  plaintext: string;
  /** Size of an encrypted reply to `replyText`. */
  replyText: string;
  replySize: number;
}

const TEST1_CLIENT: X25519Pair = {
  publicKey: 'bbdfc83022d0aff084a6f0c529a93d1c4d728bf7e41199afed0e01ae70d20540',
  secretKey: 'ccc335912da8939e2b44816728a5a4773063efa82bf7ae2d42a0abfa2caa452d',
};
const TEST1_HOP: X25519Pair = {
  publicKey: 'caea52c5b0c316d85ffb53ea536826618b13dee40685f166f632653114526a78',
  secretKey: '8fcd8ad3a15c76f76f1c56dff0c529999f8c59b4acda79e05666e54d5727dca1',
};

export const layerVectors: LayerVector[] = [
  {
    name: 'test 1 aes-gcm',
    client: TEST1_CLIENT,
    hop: TEST1_HOP,
    encType: 'aes-gcm',
    key: '4f310f62c43f14d7fea7c084819a4e394d9fc7005919275ac18d9eb8bf3e4231',
    ciphertext: '1eb6ae1cd72f60999486365749bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61',
    plaintext: 'Hello world',
    // client.md 9.4: byte 12 (first ciphertext byte) and the last byte.
    tamperAt: [12, 38],
  },
  {
    name: 'test 1 xchacha20',
    client: TEST1_CLIENT,
    hop: TEST1_HOP,
    encType: 'xchacha20',
    key: '37a3af90eb276c0b4069998e97edf956b6933bd3c77d330a072cdf274e757ab5',
    ciphertext:
      '9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b032',
    plaintext: 'Hello world',
    tamperAt: [24, 50],
  },
];

const TEST2_CLIENT: X25519Pair = {
  publicKey: '8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652',
  secretKey: 'd2ee09e1a557a077d385fcb69a11ffb6909ecdcc8348def3e0e4172c8a1431c1',
};
const TEST2_HOP: X25519Pair = {
  publicKey: '8388de69bc0d4b6196133233ad9a46ba0473474bc67718aad96a3a33c257f726',
  secretKey: '2f4d1c0d28e137777ec0a316e9f4f763e3e66662a6c51994c6315c9ef34b6deb',
};

export const framedRequestVectors: FramedRequestVector[] = [
  {
    name: 'test 2 aes-gcm',
    client: TEST2_CLIENT,
    hop: TEST2_HOP,
    encType: 'aes-gcm',
    wireEncType: 'aes-gcm',
    key: '6215038efa8c2735db1aa5a086f75b51e972b8bdcf6926480bdec488cd4db99d',
    request:
      '270000009525d587d188c92a966eef0e7162bef99a6171a124575b998072a8ee7eb265e0b6f0930ed965047b22656e635f74797065223a20226165732d67636d222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d',
    payloadLength: 39,
    plaintext: 'Hello world',
    replyText: 'Goodbye world',
    replySize: 41,
  },
  {
    name: 'test 2 xchacha20',
    client: TEST2_CLIENT,
    hop: TEST2_HOP,
    encType: 'xchacha20',
    wireEncType: 'xchacha20',
    key: '539091d458c3ba5ec79e5d2784452698e7c5f44138cdfeafca72e19c322e8fe5',
    request:
      '33000000e440bc244ddcafd947b86fc5a964aa58de54a6d75cc0f0f3840db14b6c1176a8e2e0a04d5fbdf98f23adee1edc8362ab99b10b7b22656e635f74797065223a2022786368616368613230222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d',
    payloadLength: 51,
    plaintext: 'Hello world',
    replyText: 'Goodbye world',
    replySize: 53,
  },
];

/** Storage-server round-trip pairs: no fixed ciphertexts, only overheads on a 19-byte message. */
export const storageServerPairs = {
  alice: {
    publicKey: '01c7391664840b2ef7126b3709dbac178ba5f3ef2335a62343d5df7da4a11c30',
    secretKey: '7d446468c186d6fb3c83365ab77a37b1f9fa3e59eb9788a40ae2e9560f196f30',
  } as X25519Pair,
  bob: {
    publicKey: 'f7b99da2e25e3c399902641c707ae20ad72b63ed0cc487730ff0b3bcecf18609',
    secretKey: 'f512f68e81a932aa2ff6d8723baa260a43a6f789d61c91b71f73e4f284e3600a',
  } as X25519Pair,
  messageLength: 19,
  overhead: { 'aes-gcm': 28, xchacha20: 40 } as Record<'aes-gcm' | 'xchacha20', number>,
};

/** Wire `enc_type` spellings (storage-onion.md 3.2, sogs-fileserver.md 3.2); undefined = absent. */
export const encTypeAliases: Array<{ wire: string | undefined; encType: 'aes-gcm' | 'xchacha20' }> = [
  { wire: undefined, encType: 'aes-gcm' },
  { wire: 'aes-gcm', encType: 'aes-gcm' },
  { wire: 'gcm', encType: 'aes-gcm' },
  { wire: 'xchacha20', encType: 'xchacha20' },
  { wire: 'xchacha20-poly1305', encType: 'xchacha20' },
];
