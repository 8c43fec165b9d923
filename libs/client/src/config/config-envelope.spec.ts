// The layers around a config message, against libsession's vectors: zstd compression
// (tests/test_compression.cpp), the old-client wrapper's golden digests (the determinism test of
// 2026), and a config that only fits in one message because it compresses
// (tests/test_config_contacts.cpp "huge contacts compression").
import { blake2b, fromHex, ready } from '@starling/crypto';
import { bytesToBinary } from './bencode';
import { compressConfig, openConfig, sealConfig, wrapForOldClients } from './config-envelope';
import { ConfigObject } from './config-object';
import { CONTACTS, Contacts } from './contacts';
import { USER_PROFILE } from './user-profile';
import { loadZstd, zstdDecompress } from './zstd';

const SEED = fromHex('0123456789abcdef0123456789abcdef00000000000000000000000000000000');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const HASH0 = 'ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965';
const profileMessage = (n: string, p: string, q: string) =>
  Buffer.concat([
    Buffer.from(`d1:#i1e1:&d1:n${n}1:p${p}1:q${q}e1:<lli0e32:`),
    Buffer.from(HASH0, 'hex'),
    Buffer.from('deee1:=d1:n0:1:p0:1:q0:ee'),
  ]);

const COMPRESSION = [
  { what: '81 bytes of 0xaa', input: Buffer.alloc(81, 0xaa), level: 1, out: '7a28b52ffd205145000010aaaa01008c022c' },
  { what: '81 bytes of 0xaa', input: Buffer.alloc(81, 0xaa), level: 5, out: '7a28b52ffd20513d000008aa01000dea84' },
  {
    what: 'a repetitive profile',
    input: profileMessage('12:KallieKallie', '29:http://kallie.example.org/Kallie.bmp', '24:KallieKalliesecretKallie'),
    level: 1,
    out:
      '7a28b52ffd20aabd0400640864313a23693165313a2664313a6e31323a4b616c6c6965313a7032393a68' +
      '7474703a2f2f6b2e6578616d706c652e6f72672f4b626d70313a71323473656372657465313a3c6c6c69' +
      '306533323aea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c9656465656531' +
      '3a3d64313a6e303a313a70303a313a71303a656505003587f2d5e1c02836af9aa13401',
  },
  {
    what: 'a repetitive profile',
    input: profileMessage('12:KallieKallie', '29:http://kallie.example.org/Kallie.bmp', '24:KallieKalliesecretKallie'),
    level: 5,
    out:
      '7a28b52ffd20aa950400a40764313a23693165313a2664313a6e31323a4b616c6c6965313a7032393a68' +
      '7474703a2f2f6b2e6578616d706c652e6f72672f4b626d70313a71323473656372657465313a3c6c6c69' +
      '306533323aea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c96564653d303a' +
      '313a7071303a65650800a8d0880966a9827e19e0572706a3d8bc6a86d204',
  },
];

const WRAPPER_DIGESTS = [
  { namespace: 2, digest: 'e5bcbe0595e82d55e80079dc9cf8c8b6952c099ee8306c413833e0eecd45ce03' },
  { namespace: 3, digest: '1573a2e233008a47f445a8f1b328fe37bcd49450c94b743202b68902a1a94a89' },
  { namespace: 4, digest: '121dabefb251fa586c14f7e9c82590361c2db4efcb9817771bb4d9b0aaba9362' },
  { namespace: 5, digest: 'b78bd9b62719db76ff7a9ec59eef3de0b4aaee4e4d55b515f70b04d674f8b8a9' },
];

describe('config message layers', () => {
  beforeAll(async () => {
    await ready();
    await loadZstd();
  });

  it.each(COMPRESSION)('compresses $what at level $level to libsession’s bytes', ({ input, level, out }) => {
    const compressed = compressConfig(input, level);
    expect(hex(compressed)).toBe(out);
    expect(Buffer.from(zstdDecompress(compressed.subarray(1))!)).toEqual(input);
  });

  it('leaves a message alone when compressing does not make it smaller', () => {
    const input = profileMessage('6:Kallie', '34:http://example.org/omg-pic-123.bmp', '6:secret');
    expect(input.length).toBe(142);
    expect(compressConfig(input, 1)).toBe(input);
  });

  it.each(WRAPPER_DIGESTS)('wraps for old clients deterministically (namespace $namespace)', ({ namespace, digest }) => {
    const wrapped = wrapForOldClients(SEED, Buffer.from('Hello from the other side'), 1, namespace);
    expect(hex(blake2b(wrapped, 32))).toBe(digest);
  });

  it('opens what it seals, and nothing sealed with another domain, seed or byte', () => {
    const message = Buffer.from('d1:#i1e1:&d1:n3:Bobe1:<le1:=d1:n0:ee');
    const sealed = sealConfig(USER_PROFILE, SEED, 1, message);
    expect(bytesToBinary(openConfig(USER_PROFILE, SEED, sealed)!)).toBe(message.toString('latin1'));
    expect(openConfig(CONTACTS, SEED, sealed)).toBeUndefined();
    expect(openConfig(USER_PROFILE, new Uint8Array(32).fill(7), sealed)).toBeUndefined();
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 30] ^= 1;
    expect(openConfig(USER_PROFILE, SEED, tampered)).toBeUndefined();
  });

  it('fits 10,000 contacts in one message because it compresses (libsession: 46,080 + 181 bytes)', () => {
    const contacts = new Contacts(new ConfigObject(CONTACTS, SEED));
    for (let i = 0; i < 10_000; i++) {
      const id = '05' + '0'.repeat(60) + i.toString(16).padStart(4, '0');
      contacts.update(id, (c) => {
        c.nickname = `My friend ${i}`;
        c.approved = true;
        c.approvedMe = true;
      });
    }
    const push = contacts.config.push();
    expect(push.seqno).toBe(1);
    expect(push.data.length).toBe(46_080 + 181);
    expect(contacts.config.dump().length).toBeGreaterThan(1_320_000);
    const other = new Contacts(new ConfigObject(CONTACTS, SEED));
    other.config.merge([{ hash: 'h', data: push.data }]);
    expect(other.all()).toHaveLength(10_000);
    expect(other.get('05' + '0'.repeat(60) + '270f')?.nickname).toBe('My friend 9999');
  });
});
