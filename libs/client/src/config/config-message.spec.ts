// libsession tests/test_configdata.cpp as vectors: serialization, hashes, diffs, signatures and the
// merge examples of docs/config-merge-logic.md, byte for byte.
import { ready, signEd25519, verifyEd25519 } from '@starling/crypto';
import { binaryToBytes, bytesToBinary, BtDict } from './bencode';
import { ConfigDict, ConfigParseError, ScalarSet } from './config-data';
import { ConfigMessage, ConfigSignatureError, MissingSignatureError, MutableConfigMessage } from './config-message';

const hex = (h: string) => Buffer.from(h, 'hex').toString('latin1');
const bin = (s: string) => binaryToBytes(s);
const hashHex = (m: ConfigMessage) => Buffer.from(m.hash, 'latin1').toString('hex');
const text = (b: Uint8Array) => bytesToBinary(b);
/** One lagged-diff row: l i<seqno>e 32:<hash> <diff> e. */
const lag = (seqno: number, hash: string, diff = 'de') => `li${seqno}e32:${hash}${diff}e`;
const i = (n: number) => BigInt(n);
const dict = (entries: Array<[string, ConfigDict extends Map<string, infer V> ? V : never]>): ConfigDict => new Map(entries);

function sub(m: ConfigMessage | MutableConfigMessage, key: string): ConfigDict {
  return m.data.get(key) as ConfigDict;
}

const data118 = (): ConfigDict =>
  dict([
    ['dictB', dict([['changed', i(-1)], ['foo', i(123)], ['removed', 'x'], ['removed2', 'y']])],
    ['dictC', dict([['x', dict([['y', i(1)]])]])],
    ['good', new ScalarSet([i(99), i(456), 'bar'])],
    ['great', new ScalarSet([i(-42), 'omg'])],
    ['int0', i(-9999)],
    ['int1', i(100)],
    ['string1', 'hello'],
    ['string2', 'goodbye'],
  ]);

const h119 = hex('43094f68c1faa37eff79e1c2f3973ffd5f9d6423b00ccda306fc6e7dac5f0c44');
const h120 = hex('e3a237f91014d31e4d30569c4a8bfcd72157804f99b8732c611c48bf126432b5');
const h121 = hex('1a7f602055124deaf21175ef3f32983dee7c9de570e5d9c9a0bbc2db71dcb97f');
const h122 = hex('46560604fe352101bb869435260d7100ccfe007be5f741c7e96303f02f394e8a');
const h123 = hex('d9398c597b058ac7e28e3febb76ed68eb8c5b6c369610562ab5f2b596775d73c');
const h124 = hex('8b73f316178765b9b3b37168e865c84bb5a78610cbb59b84d0fa4d3b4b3c102b');
const h125a = hex('80f229c3667de6d0fa6f96b53118e097fbda82db3ca1aea221a3db91ea9c45fb');
const h125b = hex('ab12f0efe9a9ed00db6b17b44ae0ff36b9f49094077fb114f415522f2a0e98de');

const data123 =
  'd5:dictBd7:changedi-1e3:fooi123e7:removed1:x8:removed21:ye5:dictCd1:xd1:yi1eee4:goodli99ei456e3:bare5:greatli-42e3:omge' +
  '4:int1i1e4:int2i2e7:string15:hello7:string27:goodbyee';
const m123 =
  'd1:#i123e1:&' + data123 +
  `1:<l${lag(119, h119)}${lag(120, h120)}${lag(121, h121)}${lag(122, h122)}e` +
  '1:=d4:int01:-4:int10:4:int20:ee';

const D123 = 'd4:int01:-4:int10:4:int20:e';
const diff124 =
  'd5:dictAd7:goodbyelli123ei456eelee5:hello0:e5:dictBd5:added0:7:changed0:6:nestedd1:a0:e7:removed1:-8:removed21:-e' +
  '5:dictCd1:xd1:y1:-ee4:goodlli123e3:Fooeli456eee5:greatlleli-42e3:omgee4:int10:7:string11:-7:string20:7:string30:e';

function updates124(m: MutableConfigMessage): void {
  m.data.set('dictA', dict([['hello', i(123)], ['goodbye', new ScalarSet([i(123), i(456)])]]));
  const b = sub(m, 'dictB');
  b.set('changed', i(1));
  b.set('added', i(9999));
  b.set('nested', dict([['a', i(1)]]));
  b.delete('removed');
  b.delete('removed2');
  m.data.delete('dictC');
  const good = m.data.get('good') as ScalarSet;
  good.insert('Foo');
  good.erase(i(456));
  good.insert(i(123));
  m.data.set('int1', i(42));
  m.data.delete('string1');
  m.data.set('string2', 'hello');
  m.data.set('string3', 'omg');
  m.data.delete('great');
}

describe('config messages (libsession test_configdata vectors)', () => {
  beforeAll(() => ready());

  it('serializes, hashes and diffs a message and its increments', () => {
    const m = MutableConfigMessage.create(10);
    m.data.set('foo', i(123));
    m.data.set('bar', dict([['asdf', i(123)], ['xyz', 'abc'], ['', new ScalarSet(['a', 'b', i(42)])]]));
    expect(text(m.serialize())).toBe(
      'd1:#i10e1:&d3:bard0:li42e1:a1:be4:asdfi123e3:xyz3:abce3:fooi123ee1:<le1:=d3:bard0:lli42e1:a1:belee4:asdf0:3:xyz0:e3:foo0:ee',
    );
    expect(hashHex(m)).toBe('d65738bba88b0f3455cef20fe09a7b4b10f25f9db82be24a6ce1bd06da197526');
    const m1 = m.increment();
    m1.data.delete('foo');
    expect(hashHex(m1)).toBe('5b30b4abf4cba71db25dbc0d977cc25df1d0a8a87cad7f561cdec2b8caf65f5e');
    const m2 = m1.increment();
    m2.data.set('foo', i(123));
    const bar = sub(m2, 'bar');
    bar.set('xyz', i(42));
    bar.set('a', i(42));
    const set = bar.get('') as ScalarSet;
    set.insert('c');
    set.insert(i(99));
    set.erase('b');
    set.insert(i(42));
    expect(hashHex(m2)).toBe('027552203cf669070d3ecbeecfa65c65497d59aa4da490e0f68f8131ce081320');
    const m5 = m2.increment().increment().increment();
    expect(hashHex(m2.increment())).toBe('b83871ea06587f9254cdf2b2af8daff19bd7fb550fb90d5f8f9f546464c08bc5');
    expect(hashHex(m2.increment().increment())).toBe('c30e2cfa7ec93c64a1ab6420c9bccfb63da8e4c2940ed6509ffb64f3f0131860');
    expect(hashHex(m5)).toBe('3234eb7da8cf4b79b9eec2a144247279d10f6f118184f82429a42c5996bea60c');
    expect(text(m5.serialize())).toContain(`1:<l${lag(11, m1.hash, 'd3:foo1:-e')}li12e32:${m2.hash}`);
    expect(text(m5.serialize()).endsWith('deee1:=dee')).toBe(true);
  });

  it('signs the message up to the signature key and rejects a broken or missing signature', () => {
    const secret = Buffer.from(
      '79f530dbf3d81aecc04072933c1b3e3edc0b7d91f2dcc2f7756f2611886cca5f4384261cdd338f5820ca9cbbe3fc72ac8944ee60d3b795b797fbbf5597b09f17',
      'hex',
    );
    const signer = (d: Uint8Array) => signEd25519(secret, d);
    const verifier = (d: Uint8Array, s: Uint8Array) => verifyEd25519(s, d, secret.subarray(32));
    const m = MutableConfigMessage.create(10, { signer });
    m.data.set('foo', i(123));
    m.data.set('bar', dict([['asdf', i(123)], ['xyz', 'abc'], ['', new ScalarSet(['a', 'b', i(42)])]]));
    const expectedSig = hex('77267f4de7701ae348eba0ef73175281512ba3f1051cfed22dc3e31b9c6993302938863e09bc8b33638161071bd8dc397d5c1d3f674120d08fbb9c64dde2e907');
    const signed = 'd1:#i10e1:&d3:bard0:li42e1:a1:be4:asdfi123e3:xyz3:abce3:fooi123ee1:<le1:=d3:bard0:lli42e1:a1:belee4:asdf0:3:xyz0:e3:foo0:e';
    const expected = `${signed}1:~64:${expectedSig}e`;
    expect(text(m.serialize())).toBe(expected);

    const loaded = ConfigMessage.parse(bin(expected), { verifier, signer });
    expect(loaded.verifiedSignature).toBeDefined();
    expect(loaded.hash).toBe(m.hash);
    expect(text(loaded.serialize())).toBe(expected);

    const broken = bin(expected);
    expect(broken[broken.length - 2]).toBe(0x07);
    broken[broken.length - 2] = 0x17;
    expect(() => ConfigMessage.parse(broken, { verifier })).toThrow(ConfigSignatureError);
    expect(() => ConfigMessage.load([broken, broken], { verifier })).toThrow('no valid config messages given');
    const kept = ConfigMessage.load([broken, bin(expected)], { verifier, signer });
    expect(kept.merged).toBe(false);
    expect(kept.seqno).toBe(10);
    expect(kept.hash).toBe(m.hash);
    expect(() => ConfigMessage.parse(bin(`${signed}e`), { verifier })).toThrow(MissingSignatureError);
  });

  it('example 1: an ordinary update carries the last four diffs', () => {
    const m118 = MutableConfigMessage.create(118);
    m118.data = data118();
    let m = m118.increment();
    for (const h of [h119, h120, h121, h122]) {
      expect(m.hash).toBe(h);
      m = m.increment();
    }
    m.data.set('int1', i(1));
    m.data.set('int2', i(2));
    m.data.delete('int0');
    m.data.set('string1', 'hello');
    expect(text(m.serialize())).toBe(m123);
    expect(m.hash).toBe(h123);
  });

  it('reads a message, and incrementing it moves its diff into the lagged list', () => {
    const m = ConfigMessage.parse(bin(m123));
    expect(m.seqno).toBe(123);
    expect(m.hash).toBe(h123);
    expect([...m.diff()]).toEqual([['int0', '-'], ['int1', ''], ['int2', '']]);
    const mut = MutableConfigMessage.loadForChange([bin(m123)]);
    expect(mut.seqno).toBe(124);
    expect(hashHex(mut)).toBe('3ea36410cf7086ce816eb193b0c94e88632abfb75771d82f8ddb3a909124c580');
    expect(text(mut.serialize())).toBe(
      'd1:#i124e1:&' + data123 + `1:<l${lag(120, h120)}${lag(121, h121)}${lag(122, h122)}${lag(123, h123, D123)}e1:=dee`,
    );
  });

  it.each([
    ['an empty set', 'd1:#i0e1:&d0:lee1:<le1:=dee', 'Data contains an unpruned, empty set'],
    ['an empty dict', 'd1:#i0e1:&d0:dee1:<le1:=dee', 'Data contains an unpruned, empty dict'],
    ['a key before "#"', 'd1:!i1e1:#i0e1:&de1:<le1:=dee', 'first key must be "#"'],
    ['unsorted keys', 'd1:#i0e1:&d1:bi1e1:ai1ee1:<le1:=dee', 'not in order'],
    ['an unsorted set', 'd1:#i0e1:&d1:ali2ei1eee1:<le1:=dee', 'unsorted set'],
  ])('refuses data with %s', (_what, message, error) => {
    expect(() => ConfigMessage.parse(bin(message))).toThrow(ConfigParseError);
    expect(() => ConfigMessage.parse(bin(message))).toThrow(error);
  });

  it('example 2: a large update records every kind of change in its diff', () => {
    const m = MutableConfigMessage.loadForChange([bin(m123)]);
    updates124(m);
    expect(text(m.serialize())).toBe(
      'd1:#i124e1:&d5:dictAd7:goodbyeli123ei456ee5:helloi123ee5:dictBd5:addedi9999e7:changedi1e3:fooi123e6:nestedd1:ai1eee' +
        '4:goodli99ei123e3:Foo3:bare4:int1i42e4:int2i2e7:string25:hello7:string33:omge' +
        `1:<l${lag(120, h120)}${lag(121, h121)}${lag(122, h122)}${lag(123, h123, D123)}e` +
        `1:=${diff124}e`,
    );
    expect(m.hash).toBe(h124);
  });

  function build125(): { m124: MutableConfigMessage; a: MutableConfigMessage; b: MutableConfigMessage } {
    const m124 = MutableConfigMessage.loadForChange([bin(m123)]);
    updates124(m124);
    const a = m124.increment();
    sub(a, 'dictB').delete('foo');
    const b = m124.increment();
    b.data.set('int1', i(5));
    return { m124, a, b };
  }

  it('example 3: two messages with one seqno merge the same way in any order', () => {
    const { m124, a, b } = build125();
    expect([a.hash, b.hash]).toEqual([h125a, h125b]);
    const m = ConfigMessage.load([a.serialize(), b.serialize()]);
    expect(m.merged).toBe(true);
    expect(m.seqno).toBe(126);
    const m126 =
      'd1:#i126e1:&d5:dictAd7:goodbyeli123ei456ee5:helloi123ee5:dictBd5:addedi9999e7:changedi1e6:nestedd1:ai1eee' +
      '4:goodli99ei123e3:Foo3:bare4:int1i5e4:int2i2e7:string25:hello7:string33:omge' +
      `1:<l${lag(122, h122)}${lag(123, h123, D123)}${lag(124, h124, diff124)}` +
      `${lag(125, h125a, 'd5:dictBd3:foo1:-ee')}${lag(125, h125b, 'd4:int10:e')}e1:=dee`;
    expect(text(m.serialize())).toBe(m126);
    expect(text(ConfigMessage.load([b.serialize(), a.serialize()]).serialize())).toBe(m126);
    expect(text(ConfigMessage.load([m124.serialize(), b.serialize(), a.serialize()]).serialize())).toBe(m126);
    const tooOld = MutableConfigMessage.create(118).increment().increment();
    tooOld.data.set('too old', "won't see");
    expect(text(ConfigMessage.load([b.serialize(), tooOld.serialize(), a.serialize()]).serialize())).toBe(m126);
  });

  it('example 4: merges of merges converge, and a change on top is the only diff', () => {
    const m123msg = ConfigMessage.parse(bin(m123));
    const m124a = m123msg.increment();
    sub(m124a, 'dictB').set('foo', i(66));
    sub(m124a, 'dictB').set('answer', i(42));
    const { a: m125a, b: m125b } = build125();
    const m126a = ConfigMessage.load([m125a.serialize(), m125b.serialize()]);
    const tooOld = MutableConfigMessage.create(118).increment().increment();
    tooOld.data.set('too old', "won't see");
    const m126b = ConfigMessage.load([m125b.serialize(), m124a.serialize(), m125a.serialize(), m123msg.serialize(), tooOld.serialize()]);
    expect(m124a.hash < h124).toBe(true);
    expect(m126a.hash < m126b.hash).toBe(true);

    const m127 = MutableConfigMessage.loadForChange([m126a.serialize(), m126b.serialize()]);
    (sub(m127, 'dictA').get('goodbye') as ScalarSet).insert(i(789));
    expect(m127.seqno).toBe(127);
    const out = text(m127.serialize());
    expect(out).toContain('1:&d5:dictAd7:goodbyeli123ei456ei789ee5:helloi123ee5:dictBd5:addedi9999e6:answeri42e7:changedi1e6:nestedd1:ai1eee');
    expect(out).toContain(lag(124, m124a.hash, 'd5:dictBd6:answer0:3:foo0:ee'));
    expect(out).toContain(`${lag(126, m126a.hash)}${lag(126, m126b.hash)}e1:=`);
    expect(out.endsWith('1:=d5:dictAd7:goodbyelli789eeleeeee')).toBe(true);
    expect(out.indexOf('i122e')).toBe(-1);

    const again = ConfigMessage.load([m127.serialize(), m125a.serialize(), m126b.serialize()]);
    expect(again.seqno).toBe(127);
    expect(again.hash).toBe(m127.hash);
  });

  it('keeps unknown top-level keys of newer clients in place', () => {
    const withUnknown = bin('d1:#i3e1:$3:new1:&d1:ni1ee1:<le1:=de1:}i7ee');
    const m = ConfigMessage.parse(withUnknown);
    expect([...m.unknown.keys()]).toEqual(['$', '}']);
    expect(text(m.serialize())).toBe(text(withUnknown));
    const next = m.increment();
    next.data.set('n', i(2));
    expect(text(next.serialize())).toMatch(/^d1:#i4e1:\$3:new1:&d1:ni2ee.*1:=d1:n0:e1:}i7ee$/);
    const diff: BtDict = next.diff();
    expect([...diff.keys()]).toEqual(['n']);
  });
});
