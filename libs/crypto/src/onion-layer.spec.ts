import { fromHex, toHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import {
  clientLayerKey,
  decryptLayer,
  encryptLayer,
  generateOnionKeyPair,
  hopLayerKey,
  layerOverhead,
  OnionEncType,
  parseEncType,
} from './onion-layer';
import { ready, sodium } from './sodium';
import { encTypeAliases, layerVectors, storageServerPairs, X25519Pair } from './vectors/onion.vectors';

const pair = (p: X25519Pair) => ({ publicKey: fromHex(p.publicKey, 32), secretKey: fromHex(p.secretKey, 32) });
const flip = (bytes: Uint8Array, at: number) => {
  const copy = bytes.slice();
  copy[at] ^= 0x10;
  return copy;
};

beforeAll(ready);

describe.each(layerVectors)('onion layer vector: $name', (v) => {
  it('has key pairs that belong together', () => {
    expect(toHex(sodium().crypto_scalarmult_base(fromHex(v.client.secretKey)))).toBe(v.client.publicKey);
    expect(toHex(sodium().crypto_scalarmult_base(fromHex(v.hop.secretKey)))).toBe(v.hop.publicKey);
  });

  it('derives the same key on the client and on the hop', () => {
    expect(toHex(clientLayerKey(v.encType, pair(v.client), fromHex(v.hop.publicKey)).key)).toBe(v.key);
    expect(toHex(hopLayerKey(v.encType, pair(v.hop), fromHex(v.client.publicKey)).key)).toBe(v.key);
  });

  it('decrypts the published ciphertext', () => {
    const key = hopLayerKey(v.encType, pair(v.hop), fromHex(v.client.publicKey));
    expect(Buffer.from(decryptLayer(key, fromHex(v.ciphertext))).toString('utf8')).toBe(v.plaintext);
  });

  it('reproduces the ciphertext from its nonce', () => {
    const key = clientLayerKey(v.encType, pair(v.client), fromHex(v.hop.publicKey));
    const nonce = fromHex(v.ciphertext).subarray(0, layerOverhead(v.encType) - 16);
    expect(toHex(encryptLayer(key, utf8(v.plaintext), nonce))).toBe(v.ciphertext);
  });

  it('rejects the named tampered bytes and a flip anywhere', () => {
    const key = hopLayerKey(v.encType, pair(v.hop), fromHex(v.client.publicKey));
    const ciphertext = fromHex(v.ciphertext);
    const positions = [...v.tamperAt, ...Array.from({ length: ciphertext.length }, (_, i) => i)];
    for (const at of positions) {
      expect(() => decryptLayer(key, flip(ciphertext, at))).toThrow(
        expect.objectContaining({ code: 'DECRYPT_FAILED' }),
      );
    }
  });

  it('rejects the ciphertext under another hop key', () => {
    const other = hopLayerKey(v.encType, generateOnionKeyPair(), fromHex(v.client.publicKey));
    expect(() => decryptLayer(other, fromHex(v.ciphertext))).toThrow(CryptoError);
  });

  it('rejects truncated ciphertexts', () => {
    const key = hopLayerKey(v.encType, pair(v.hop), fromHex(v.client.publicKey));
    const ciphertext = fromHex(v.ciphertext);
    for (const length of [0, 1, layerOverhead(v.encType) - 1, ciphertext.length - 1]) {
      expect(() => decryptLayer(key, ciphertext.subarray(0, length))).toThrow(
        expect.objectContaining({ code: 'DECRYPT_FAILED' }),
      );
    }
  });
});

describe('storage-server round-trip pairs', () => {
  const alice = pair(storageServerPairs.alice);
  const bob = pair(storageServerPairs.bob);
  const message = new Uint8Array(storageServerPairs.messageLength).fill(7);

  it('has key pairs that belong together', () => {
    expect(sodium().crypto_scalarmult_base(alice.secretKey)).toEqual(alice.publicKey);
    expect(sodium().crypto_scalarmult_base(bob.secretKey)).toEqual(bob.publicKey);
  });

  it.each(['aes-gcm', 'xchacha20'] as OnionEncType[])('%s: round trip with the documented overhead', (encType) => {
    const sealed = encryptLayer(clientLayerKey(encType, alice, bob.publicKey), message);
    expect(sealed.length - message.length).toBe(storageServerPairs.overhead[encType]);
    expect(decryptLayer(hopLayerKey(encType, bob, alice.publicKey), sealed)).toEqual(message);
  });

  it('xchacha20 keys depend on who is the client; aes-gcm keys do not', () => {
    const aliceAsClient = clientLayerKey('xchacha20', alice, bob.publicKey);
    const bobAsClient = clientLayerKey('xchacha20', bob, alice.publicKey);
    expect(() => decryptLayer(bobAsClient, encryptLayer(aliceAsClient, message))).toThrow(CryptoError);
    expect(clientLayerKey('aes-gcm', alice, bob.publicKey).key).toEqual(
      clientLayerKey('aes-gcm', bob, alice.publicKey).key,
    );
  });
});

describe('enc_type on the wire', () => {
  it.each(encTypeAliases)('$wire means $encType', ({ wire, encType }) => {
    expect(parseEncType(wire)).toBe(encType);
  });

  it.each(['aes-cbc', 'cbc', 'AES-GCM', '', 5])('refuses %p', (wire) => {
    expect(() => parseEncType(wire)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('quotes no more than 40 characters of what it refuses (the message goes back to the sender)', () => {
    expect(() => parseEncType('x'.repeat(100_000))).toThrow(`unsupported onion enc_type "${'x'.repeat(39)}…`);
    expect(() => parseEncType({ long: 'y'.repeat(1000) })).toThrow(/^unsupported onion enc_type \{"long":"y{31}…$/);
  });
});

describe('hostile keys', () => {
  it('refuses a low-order ephemeral key instead of deriving a known key', () => {
    const zeroPoint = new Uint8Array(32);
    expect(() => hopLayerKey('aes-gcm', generateOnionKeyPair(), zeroPoint)).toThrow(
      expect.objectContaining({ code: 'BAD_KEY' }),
    );
  });

  it('derives from the bytes a key pair holds now, not from the ones it held at first use', () => {
    const [first, second] = [generateOnionKeyPair(), generateOnionKeyPair()];
    const client = generateOnionKeyPair();
    const reused = { publicKey: first.publicKey.slice(), secretKey: first.secretKey.slice() };
    expect(hopLayerKey('aes-gcm', reused, client.publicKey).key).toEqual(hopLayerKey('aes-gcm', first, client.publicKey).key);
    reused.secretKey.set(second.secretKey);
    reused.publicKey.set(second.publicKey);
    expect(hopLayerKey('aes-gcm', reused, client.publicKey).key).toEqual(hopLayerKey('aes-gcm', second, client.publicKey).key);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => hopLayerKey('xchacha20', generateOnionKeyPair(), new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'BAD_LENGTH' }),
    );
  });
});
