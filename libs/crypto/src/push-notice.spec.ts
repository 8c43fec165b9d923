import { expectCryptoError } from '../test/expect-crypto-error';
import { fromHex, toHex } from './encoding';
import { decodePushNotice, decryptPushNotice, encodePushNotice, encryptPushNotice, PUSH_NOTICE_PADDING } from './push-notice';
import { ready } from './sodium';
import { pushNoticeKeyHex, pushNoticeMetadata, pushNoticeVectors } from './vectors/push-notice.vectors';

beforeAll(ready);

describe.each(pushNoticeVectors)('push notice vector: $name', (v) => {
  const key = fromHex(pushNoticeKeyHex);
  const data = v.dataHex === undefined ? undefined : fromHex(v.dataHex);

  it('encodes the padded plaintext byte for byte', () => {
    expect(toHex(encodePushNotice(pushNoticeMetadata, data))).toBe(v.plaintextHex);
  });

  it('decrypts the independently encrypted payload to the plaintext without padding', () => {
    const plaintext = decryptPushNotice(fromHex(v.payloadHex), key);
    expect(toHex(plaintext)).toBe(v.plaintextHex.replace(/(00)+$/, ''));
    const notice = decodePushNotice(plaintext);
    expect(notice.metadata).toMatchObject(pushNoticeMetadata);
    if (data === undefined) {
      expect(notice.metadata.dataLength).toBeUndefined();
      expect(notice.data).toBeUndefined();
    } else if (data.length > 2500) {
      expect(notice.metadata).toMatchObject({ dataLength: data.length, dataTooLong: true });
      expect(notice.data).toBeUndefined();
    } else {
      expect(notice.metadata.dataLength).toBe(data.length);
      expect(toHex(notice.data!)).toBe(v.dataHex);
    }
  });
});

describe('push notice encryption', () => {
  const key = fromHex(pushNoticeKeyHex);

  it('round-trips under a fresh nonce each time', () => {
    const plaintext = encodePushNotice(pushNoticeMetadata, new Uint8Array([1, 2, 3]));
    const a = encryptPushNotice(plaintext, key);
    const b = encryptPushNotice(plaintext, key);
    expect(toHex(a.subarray(0, 24))).not.toBe(toHex(b.subarray(0, 24)));
    expect(a.length).toBe(24 + plaintext.length + 16);
    expect(decodePushNotice(decryptPushNotice(a, key)).data).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('pads every plaintext to a multiple of 256 bytes', () => {
    for (const size of [1, 50, 70, 200, 2500]) {
      expect(encodePushNotice(pushNoticeMetadata, new Uint8Array(size).fill(7)).length % PUSH_NOTICE_PADDING).toBe(0);
    }
  });

  it('refuses a wrong key, a changed byte and a short payload', () => {
    const payload = encryptPushNotice(encodePushNotice(pushNoticeMetadata), key);
    expectCryptoError(() => decryptPushNotice(payload, new Uint8Array(32)), 'DECRYPT_FAILED');
    const changed = payload.slice();
    changed[30] ^= 1;
    expectCryptoError(() => decryptPushNotice(changed, key), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptPushNotice(payload.subarray(0, 39), key), 'DECRYPT_FAILED');
    expectCryptoError(() => encryptPushNotice(payload, new Uint8Array(31)), 'BAD_LENGTH');
  });

  it('refuses metadata that is not the documented JSON, and data whose length disagrees with "l"', () => {
    const list = (...parts: string[]) => new Uint8Array(Buffer.from(`l${parts.map((p) => `${Buffer.byteLength(p)}:${p}`).join('')}e`));
    expectCryptoError(() => decodePushNotice(list('d1:@1:xe')), 'MALFORMED');
    expectCryptoError(() => decodePushNotice(list('{"@":"05","#":"h","n":"0","t":1,"z":2}')), 'MALFORMED');
    expectCryptoError(() => decodePushNotice(list('{"@":"05","#":"h","n":0,"t":1,"z":2,"l":3}', 'ab')), 'MALFORMED');
    expect(decodePushNotice(list('{"@":"05","#":"h","n":0,"t":1,"z":2,"l":2}', 'ab', 'future')).data).toEqual(new Uint8Array(Buffer.from('ab')));
  });
});
