import { fromHex, toHex, utf8 } from './encoding';
import { identityFromSeed } from './identity';
import { decryptIncoming, encryptForRecipient, encryptForRecipientDeterministic } from './message-encryption';
import { padMessage, unpadMessage } from './padding';
import { ready } from './sodium';
import { deterministicSealVectors } from './vectors/message-encryption.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';


beforeAll(ready);

describe.each(deterministicSealVectors)('$name', (v) => {
  const sender = () => identityFromSeed(fromHex(v.senderSeed, 32));
  const recipient = () => identityFromSeed(fromHex(v.recipientSeed, 32));

  it('uses the published identities', () => {
    expect(toHex(sender().ed25519.publicKey)).toBe(v.senderEd25519);
    expect(sender().sessionId).toBe(v.senderSessionId);
    expect(recipient().sessionId).toBe(v.recipientSessionId);
  });

  it('encrypts to the published bytes, from a 64-byte key or the seed', () => {
    const fromSecretKey = encryptForRecipientDeterministic(sender().ed25519.secretKey, v.recipientSessionId, utf8(v.plaintext));
    expect(fromSecretKey.length).toBe(v.length);
    expect(toHex(fromSecretKey)).toBe(v.ciphertext);
    const fromSeed = encryptForRecipientDeterministic(fromHex(v.senderSeed), recipient().x25519.publicKey, utf8(v.plaintext));
    expect(toHex(fromSeed)).toBe(v.ciphertext);
  });

  it('decrypts the published bytes and names the sender', () => {
    const opened = decryptIncoming(recipient().x25519, fromHex(v.ciphertext));
    expect(Buffer.from(opened.plaintext).toString('utf8')).toBe(v.plaintext);
    expect(toHex(opened.senderEd25519)).toBe(v.senderEd25519);
    expect(opened.senderSessionId).toBe(v.senderSessionId);
  });

  it('refuses the published bytes with any byte flipped', () => {
    const ciphertext = fromHex(v.ciphertext);
    for (let at = 0; at < ciphertext.length; at++) {
      const tampered = ciphertext.slice();
      tampered[at] ^= 0x02;
      expect(errorCodeOf(() => decryptIncoming(recipient().x25519, tampered))).toBe('DECRYPT_FAILED');
    }
  });

  it('cannot be opened by the sender', () => {
    expect(errorCodeOf(() => decryptIncoming(sender().x25519, fromHex(v.ciphertext)))).toBe('DECRYPT_FAILED');
  });
});

describe('random sealed messages', () => {
  const alice = () => identityFromSeed(fromHex('0123456789abcdef0123456789abcdef'));
  const bob = () => identityFromSeed(fromHex('00112233445566778899aabbccddeeff'));

  it('round-trip a padded Content and differ every time', () => {
    const content = padMessage(utf8('Lorem ipsum dolor sit amet'));
    const first = encryptForRecipient(alice().ed25519.secretKey, bob().sessionId, content);
    const second = encryptForRecipient(alice().ed25519.secretKey, bob().sessionId, content);
    expect(first).not.toEqual(second);
    expect(first.length).toBe(content.length + 144);
    const opened = decryptIncoming(bob().x25519, first);
    expect(Buffer.from(unpadMessage(opened.plaintext)).toString()).toBe('Lorem ipsum dolor sit amet');
    expect(opened.senderSessionId).toBe(alice().sessionId);
  });

  it('refuses truncated ciphertexts', () => {
    const sealed = encryptForRecipient(alice().ed25519.secretKey, bob().sessionId, utf8('hi'));
    for (const length of [0, 10, 47, 48, sealed.length - 1]) {
      expect(errorCodeOf(() => decryptIncoming(bob().x25519, sealed.subarray(0, length)))).toBe('DECRYPT_FAILED');
    }
  });

  it('refuses a seal that holds no content', () => {
    // A sender can seal 96 bytes of anything: there is no message left after pk and signature.
    const sealed = encryptForRecipient(alice().ed25519.secretKey, bob().sessionId, new Uint8Array(0));
    expect(errorCodeOf(() => decryptIncoming(bob().x25519, sealed))).toBe('DECRYPT_FAILED');
  });

  it('refuses a signature made for another recipient (re-sealed by a recipient)', async () => {
    const { sodium } = await import('./sodium');
    const carol = identityFromSeed(fromHex('ffeeddccbbaa99887766554433221100'));
    // Bob opens a message meant for him and re-seals the same inner bytes to Carol.
    const toBob = encryptForRecipient(alice().ed25519.secretKey, bob().sessionId, utf8('for bob only'));
    const inner = sodium().crypto_box_seal_open(toBob, bob().x25519.publicKey, bob().x25519.secretKey);
    const forwarded = sodium().crypto_box_seal(inner, carol.x25519.publicKey);
    expect(errorCodeOf(() => decryptIncoming(carol.x25519, forwarded))).toBe('BAD_SIGNATURE');
  });

  it('refuses bad recipients', () => {
    expect(errorCodeOf(() => encryptForRecipient(alice().ed25519.secretKey, '15' + 'aa'.repeat(32), utf8('x')))).toBe('BAD_KEY');
    expect(errorCodeOf(() => encryptForRecipient(alice().ed25519.secretKey, new Uint8Array(33), utf8('x')))).toBe('BAD_LENGTH');
    expect(errorCodeOf(() => encryptForRecipient(new Uint8Array(16), bob().sessionId, utf8('x')))).toBe('BAD_LENGTH');
  });
});
