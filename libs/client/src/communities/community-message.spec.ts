import { blind15Id, fromHex, generateIdentity, ready, signEd25519 } from '@starling/crypto';
import { Content } from '../messaging/session-protos';
import { decodePost, encodePost, verifyPost } from './community-message';

const SERVER = fromHex('a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238', 32);

beforeAll(ready);

describe('community posts', () => {
  it('encodes a padded Content that decodes back, signed by the blinded id', () => {
    const { identity } = generateIdentity();
    const post = encodePost(identity.seed, SERVER, { text: 'hello 🌍', displayName: 'Alice' }, 1_700_000_000_000);
    // Padded: 0x80 then zeros, a multiple of 160 (libsession rule, client.md 2.3).
    expect(post.data.length % 160).toBe(0);
    expect(decodePost(post.data)).toEqual({ text: 'hello 🌍', displayName: 'Alice', attachments: [] });
    const content = Content.toObject(Content.decode(post.data.subarray(0, post.data.lastIndexOf(0x80))), { longs: Number });
    expect(content.sigTimestamp).toBe(1_700_000_000_000);
    expect(verifyPost(blind15Id(identity.seed, SERVER), post.data, post.signature)).toBe(true);
  });

  it('refuses a signature by someone else, over other bytes, or of the wrong size', () => {
    const alice = generateIdentity().identity;
    const mallory = generateIdentity().identity;
    const post = encodePost(alice.seed, SERVER, { text: 'mine' }, 1);
    expect(verifyPost(blind15Id(mallory.seed, SERVER), post.data, post.signature)).toBe(false);
    const tampered = Uint8Array.from(post.data);
    tampered[3] ^= 1;
    expect(verifyPost(blind15Id(alice.seed, SERVER), tampered, post.signature)).toBe(false);
    expect(verifyPost(blind15Id(alice.seed, SERVER), post.data, post.signature.subarray(0, 63))).toBe(false);
    expect(verifyPost('15zz', post.data, post.signature)).toBe(false);
  });

  it('verifies an unblinded (05) poster through the X25519 -> Ed25519 conversion', () => {
    const { identity } = generateIdentity();
    const data = encodePost(identity.seed, SERVER, { text: 'old style' }, 1).data;
    expect(verifyPost(identity.sessionId, data, signEd25519(identity.ed25519.secretKey, data))).toBe(true);
    expect(verifyPost(identity.sessionId, data, signEd25519(generateIdentity().identity.ed25519.secretKey, data))).toBe(false);
  });

  it('gives null for data that is no post', () => {
    expect(decodePost(new Uint8Array([0xff, 0xff, 0xff]))).toBeNull();
    expect(decodePost(Content.encode(Content.fromObject({ expirationTimer: 5 })).finish())).toBeNull();
  });
});
