// libsession tests/test_config_userprofile.cpp ("user profile C API") step by step: the exact bytes
// libsession pushes for the empty profile, the exact encrypted message after setting name, picture
// and Note to Self priority, the dumps, and the conflict two devices resolve the same way.
import { fromHex, ready } from '@starling/crypto';
import { bytesToBinary } from './bencode';
import { unwrapFromOldClients } from './config-envelope';
import { ConfigObject } from './config-object';
import { USER_PROFILE, UserProfile } from './user-profile';
import { loadZstd } from './zstd';

const SEED = fromHex('0123456789abcdef0123456789abcdef00000000000000000000000000000000');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bin = (b: Uint8Array) => bytesToBinary(b);

// What libsession pushes for a brand-new, empty profile (seqno 0): 256 bytes of padded ciphertext
// in 176 bytes of protobuf wrapping.
const EMPTY_PUSH =
  '080112ab030a0012001aa20308062801429b0326ec9746282053eb119228e6c36012966e7d2642163169ba39' +
  '98af44ca65f967768dd78ee80fffab6f809f6cef49c73a36c82a89622ff0de2ceee06b8c638e2c876fa9047f' +
  '449dbe24b1fc89281a264fe90abdeffcdd44f797bd4572a6c5ae8d88bf372c3c717943ebd570222206fabf0e' +
  'e9f3c6756f5d71a32616b1df53d12887961f5c129207a79622ccc1a4bba976886d9a6ddf0fe5d570e5075d01' +
  'ecd627f656e95f27b4c40d5661b5664cedd3e568206effa1308b0ccd663ca61a6d39c0731891804a8cf5edcf' +
  '8b98eaa5580c3d436e22156e38455e403869700956c3c1dd0b4470b663e75c98c5b859b53ccef6559215d804' +
  '9f755be9c2d6b3f4a310f97c496fc392f65b6431dd87788ac61074fd8cd409702e1b839b3f774d38cf8b28f0' +
  '226c4efa5220ac6ae060793e36e7ef278d42d042f15b21291f3bb29e3158f09d154b93f83fd8a319811a26cb' +
  '5240d90cbb360fafec0b7eff4c676ae598540813d062dc9468365c73b4cfa2ffd02d48cdcd8f0c71324c6d0a' +
  '60346a7a0e50af3be64684b37f9e6c831115bf112ddd18acde08eaec376f0872a3952000';

const HASH0 = Buffer.from('ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965', 'hex').toString('latin1');
const PUSH1_PLAIN =
  'd1:#i1e1:&d1:+i9e1:n6:Kallie1:p34:http://example.org/omg-pic-123.bmp1:q32:secret78901234567890123456789012e' +
  `1:<lli0e32:${HASH0}dee` +
  'e1:=d1:+0:1:n0:1:p0:1:q0:ee';
const PUSH1_ENCRYPTED =
  '9693a69686da3055f1ecdfb239c3bf8e746951a36d888c2fb7c02e856a5c2091b24e39a7e1af828f' +
  '1fa09fe8bf7d274afde0a0847ba143c43ffb8722301b5ae32e2f078b9a5e19097403336e50b18c84' +
  'aade446cd2823b011f97d6ad2116a53feb814efecc086bc172d31f4214b4d7c630b63bbe575b0868' +
  '2d146da44915063a07a78556ab5eff4f67f6aa26211e8d330b53d28567a931028c393709a325425d' +
  'e7486ccde24416a7fd4a8ba5fa73899c65f4276dfaddd5b2100adcf0f793104fb235b31ce32ec656' +
  '056009a9ebf58d45d7d696b74e0c7ff0499c4d23204976f19561dc0dba6dc53a2497d28ce03498ea' +
  '49bf122762d7bc1d6d9c02f6d54f8384';

describe('UserProfile as libsession writes it', () => {
  beforeAll(async () => {
    await ready();
    await loadZstd();
  });

  const newProfile = (dump?: Uint8Array) => new UserProfile(new ConfigObject(USER_PROFILE, SEED, dump));

  it('pushes the empty profile as exactly the bytes libsession pushes', () => {
    const profile = newProfile();
    expect(profile.config.needsPush()).toBe(false);
    expect(profile.config.needsDump).toBe(false);
    expect(profile.name).toBeUndefined();
    const push = profile.config.push();
    expect(push.seqno).toBe(0);
    expect(push.data.length).toBe(256 + 176);
    expect(hex(push.data)).toBe(EMPTY_PUSH);
  });

  it('reads that libsession push, and not once a byte of it is changed', () => {
    expect(newProfile().config.merge([{ hash: 'x', data: fromHex(EMPTY_PUSH) }])).toEqual(['x']);
    const data = fromHex(EMPTY_PUSH);
    data[200] ^= 0x01;
    expect(newProfile().config.merge([{ hash: 'x', data }])).toEqual([]);
  });

  it('encrypts name, picture and Note to Self priority to libsession’s bytes, dumps and merges them', () => {
    const profile = newProfile();
    profile.setName('Kallie');
    profile.setPicture({ url: 'http://example.org/omg-pic-123.bmp', key: Buffer.from('secret78901234567890123456789012') });
    profile.setNoteToSelfPriority(9);
    expect(profile.name).toBe('Kallie');
    expect(profile.picture?.url).toBe('http://example.org/omg-pic-123.bmp');
    expect(profile.noteToSelfPriority).toBe(9);
    expect(profile.config.needsPush()).toBe(true);
    expect(profile.config.needsDump).toBe(true);

    const push = profile.config.push();
    expect(push.seqno).toBe(1);
    const encrypted = unwrapFromOldClients(SEED, push.data, USER_PROFILE.namespace);
    expect(encrypted && hex(encrypted)).toBe(PUSH1_ENCRYPTED);
    expect(profile.config.needsPush()).toBe(true); // not confirmed yet

    expect(bin(profile.config.dump())).toBe(`d1:!i2e1:$${PUSH1_PLAIN.length}:${PUSH1_PLAIN}1:(0:1:)le1:+dee`);
    expect(profile.config.needsDump).toBe(false);
    profile.config.confirmPushed(push.seqno, 'fakehash1');
    expect(profile.config.needsPush()).toBe(false);
    expect(profile.config.needsDump).toBe(true);
    expect(bin(profile.config.dump())).toBe(`d1:!i0e1:$${PUSH1_PLAIN.length}:${PUSH1_PLAIN}1:(9:fakehash11:)le1:+dee`);

    // Another device reads libsession's bare ciphertext (no wrapping) and needs no push.
    const other = newProfile();
    expect(other.config.merge([{ hash: 'fakehash1', data: fromHex(PUSH1_ENCRYPTED) }])).toEqual(['fakehash1']);
    expect(other.config.needsDump).toBe(true);
    expect(other.config.needsPush()).toBe(false);
    expect(other.name).toBe('Kallie');
    expect(other.noteToSelfPriority).toBe(9);
  });

  it('resolves conflicting changes of two devices to the same profile and the same bytes', () => {
    const conf = newProfile();
    conf.setName('Kallie');
    conf.setPicture({ url: 'http://example.org/omg-pic-123.bmp', key: Buffer.from('secret78901234567890123456789012') });
    conf.setNoteToSelfPriority(9);
    const first = conf.config.push();
    conf.config.confirmPushed(first.seqno, 'fakehash1');
    const conf2 = newProfile();
    conf2.config.merge([{ hash: 'fakehash1', data: first.data }]);

    conf.setName('Nibbler');
    conf2.setName('Raz');
    conf2.setPicture({ url: 'http://new.example.com/pic', key: Buffer.from('qwert\0yuio1234567890123456789012', 'latin1') });
    conf2.setNoteToSelfExpirySeconds(86400);
    expect(conf2.blindedMessageRequests).toBeUndefined();
    conf2.setBlindedMessageRequests(false);
    expect(conf2.blindedMessageRequests).toBe(false);
    conf2.setBlindedMessageRequests(undefined);
    expect(conf2.blindedMessageRequests).toBeUndefined();
    conf2.setBlindedMessageRequests(true);

    const push = conf.config.push();
    expect(push.seqno).toBe(2);
    conf2.config.confirmPushed(push.seqno, 'fakehash2'); // ignored: conf2 has not pushed yet
    const push2 = conf2.config.push();
    expect(push2.seqno).toBe(2);
    conf2.config.confirmPushed(push2.seqno, 'fakehash3');
    expect(hex(push.data)).not.toBe(hex(push2.data));

    expect(conf2.config.merge([{ hash: 'fakehash2', data: push.data }])).toEqual(['fakehash2']);
    expect(conf.config.merge([{ hash: 'fakehash3', data: push2.data }])).toEqual(['fakehash3']);
    const merged = conf.config.push();
    const merged2 = conf2.config.push();
    expect([merged.seqno, merged2.seqno]).toEqual([3, 3]);
    // libsession: "they should have resolved the conflict to the same thing".
    for (const p of [conf, conf2]) {
      expect(p.name).toBe('Nibbler');
      expect(p.picture?.url).toBe('http://new.example.com/pic');
      expect(hex(p.picture!.key)).toBe('7177657274007975696f31323334353637383930313233343536373839303132');
      expect(p.noteToSelfPriority).toBe(9);
      expect(p.noteToSelfExpirySeconds).toBe(86400);
      expect(p.blindedMessageRequests).toBe(true);
    }
    // Deterministic all the way down: both devices store the very same message.
    expect(hex(merged.data)).toBe(hex(merged2.data));
    expect(merged.obsolete).toEqual(['fakehash3']);
    expect(merged2.obsolete).toEqual(['fakehash2', 'fakehash3']);
    conf.config.confirmPushed(merged.seqno, 'fakehash4');
    conf2.config.confirmPushed(merged2.seqno, 'fakehash4');
    expect(conf.config.needsPush() || conf2.config.needsPush()).toBe(false);
  });

  it('resumes a change in progress from its dump with the same seqno and bytes', () => {
    const profile = newProfile();
    profile.setName('Kallie');
    const reloaded = newProfile(profile.config.dump());
    expect(reloaded.name).toBe('Kallie');
    expect(reloaded.config.needsPush()).toBe(true);
    reloaded.setNoteToSelfPriority(9);
    profile.setNoteToSelfPriority(9);
    expect(hex(reloaded.config.push().data)).toBe(hex(profile.config.push().data));
  });

  it('reads libsession’s own dirty dump as a further change, as libsession does', () => {
    const profile = newProfile();
    profile.setName('Kallie');
    const dump = bin(profile.config.dump()).replace(/1:\+d1:od.*ee$/, '1:+dee');
    expect(dump.endsWith('1:+dee')).toBe(true);
    const reloaded = newProfile(Buffer.from(dump, 'latin1'));
    expect(reloaded.config.push().seqno).toBe(2);
  });

  it.each([
    ['101 bytes', '1234567890'.repeat(10) + 'A', '1234567890'.repeat(10)],
    ['a cake at the cut', '1234567890'.repeat(9) + '1234567🎂', '1234567890'.repeat(9) + '1234567'],
    ['two cakes', '1234567890'.repeat(9) + '12345🎂🎂', '1234567890'.repeat(9) + '12345🎂'],
  ])('truncates a too-long name (%s) without splitting a character', (_what, given, kept) => {
    const profile = newProfile();
    expect(() => profile.setName(given)).toThrow(/exceeds maximum length/);
    profile.setNameTruncated(given);
    expect(profile.name).toBe(kept);
  });
});
