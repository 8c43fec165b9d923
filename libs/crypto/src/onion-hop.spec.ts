import { fromHex, toHex, utf8 } from './encoding';
import { encodeOnionFrame } from './onion-framing';
import { decryptOnionRequest, isAllowedProxyTarget, parseOnionEnvelope, peelOnionLayer, readHopInstruction } from './onion-hop';
import { clientLayerKey, decryptLayer, encryptLayer, generateOnionKeyPair } from './onion-layer';
import { ready } from './sodium';
import { framedRequestVectors } from './vectors/onion.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';


beforeAll(ready);

describe.each(framedRequestVectors)('server parses the published $name request', (v) => {
  const server = { publicKey: fromHex(v.hop.publicKey, 32), secretKey: fromHex(v.hop.secretKey, 32) };
  const client = { publicKey: fromHex(v.client.publicKey, 32), secretKey: fromHex(v.client.secretKey, 32) };

  it('decrypts it with the derived key', () => {
    const { plaintext, replyKey } = decryptOnionRequest(server, fromHex(v.request));
    expect(Buffer.from(plaintext).toString('utf8')).toBe(v.plaintext);
    expect(replyKey.encType).toBe(v.encType);
    expect(toHex(replyKey.key)).toBe(v.key);
  });

  it('answers with a reply of the published size that the client opens', () => {
    const { replyKey } = decryptOnionRequest(server, fromHex(v.request));
    const reply = encryptLayer(replyKey, utf8(v.replyText));
    expect(reply.length).toBe(v.replySize);
    const clientKey = clientLayerKey(v.encType, client, server.publicKey);
    expect(Buffer.from(decryptLayer(clientKey, reply)).toString('utf8')).toBe(v.replyText);
  });

  it('fails on any flipped ciphertext byte', () => {
    const request = fromHex(v.request);
    for (let at = 4; at < 4 + v.payloadLength; at++) {
      const tampered = request.slice();
      tampered[at] ^= 1;
      expect(errorCodeOf(() => decryptOnionRequest(server, tampered))).toBe('DECRYPT_FAILED');
    }
  });

  it('fails for another server', () => {
    expect(errorCodeOf(() => decryptOnionRequest(generateOnionKeyPair(), fromHex(v.request)))).toBe('DECRYPT_FAILED');
  });
});

describe('onion envelope', () => {
  const key = 'ab'.repeat(32);

  it('reads hop_no and defaults enc_type to aes-gcm', () => {
    const parsed = parseOnionEnvelope(encodeOnionFrame(utf8('ct'), { ephemeral_key: key, hop_no: 2 }));
    expect(parsed.hopNo).toBe(2);
    expect(parsed.layer.encType).toBe('aes-gcm');
    expect(toHex(parsed.layer.ephemeralKey)).toBe(key);
  });

  it.each([
    ['no ephemeral_key', {}, 'MALFORMED'],
    ['a short ephemeral_key', { ephemeral_key: 'abcd' }, 'BAD_LENGTH'],
    ['a non-hex ephemeral_key', { ephemeral_key: 'zz'.repeat(32) }, 'BAD_ENCODING'],
    ['an unknown enc_type', { ephemeral_key: key, enc_type: 'rot13' }, 'UNSUPPORTED'],
    ['a negative hop_no', { ephemeral_key: key, hop_no: -1 }, 'MALFORMED'],
    ['a string hop_no', { ephemeral_key: key, hop_no: '1' }, 'MALFORMED'],
  ])('rejects %s', (_name, meta, code) => {
    expect(errorCodeOf(() => parseOnionEnvelope(encodeOnionFrame(utf8('ct'), meta)))).toBe(code);
  });
});

describe('hop instructions', () => {
  const ed = 'cd'.repeat(32);
  const eph = 'ef'.repeat(32);

  it('headers means deliver here, with json/base64 flags', () => {
    const instruction = readHopInstruction(encodeOnionFrame(utf8('{"method":"info"}'), { headers: '', json: true }));
    expect(instruction).toEqual({ kind: 'deliver', request: utf8('{"method":"info"}'), json: true, base64: true });
  });

  it('delivers desktop-style control JSON with the default flags', () => {
    const frame = encodeOnionFrame(utf8('{}'), { headers: { 'Content-Type': 'application/json' }, body: null });
    expect(readHopInstruction(frame)).toEqual({ kind: 'deliver', request: utf8('{}'), json: false, base64: true });
  });

  it('does not mistake inherited names for routing keys', () => {
    const frame = encodeOnionFrame(utf8('x'), { constructor: 1, ephemeral_key: eph });
    expect(errorCodeOf(() => readHopInstruction(frame))).toBe('MALFORMED');
  });

  it('headers wins over host and destination', () => {
    const frame = encodeOnionFrame(utf8('x'), { headers: {}, host: 'h', destination: ed });
    expect(readHopInstruction(frame).kind).toBe('deliver');
  });

  it('host means proxy the whole plaintext, with https:443 defaults', () => {
    const frame = encodeOnionFrame(utf8('x'), { host: 'files.example', target: '/oxen/v4/lsrpc', ephemeral_key: eph });
    expect(readHopInstruction(frame)).toEqual({
      kind: 'proxy',
      host: 'files.example',
      target: '/oxen/v4/lsrpc',
      protocol: 'https',
      port: 443,
      body: frame,
    });
  });

  it('otherwise forward to the Ed25519 destination', () => {
    const instruction = readHopInstruction(encodeOnionFrame(utf8('next'), { destination: ed, ephemeral_key: eph, enc_type: 'xchacha20' }));
    expect(instruction).toEqual({
      kind: 'forward',
      destination: fromHex(ed),
      layer: { ciphertext: utf8('next'), ephemeralKey: fromHex(eph), encType: 'xchacha20' },
    });
  });

  it.each([
    ['forward without destination', { ephemeral_key: eph }, 'MALFORMED'],
    ['forward without ephemeral_key', { destination: ed }, 'MALFORMED'],
    ['forward to a short key', { destination: 'cd', ephemeral_key: eph }, 'BAD_LENGTH'],
    ['proxy without target', { host: 'h' }, 'MALFORMED'],
    ['proxy to port 0', { host: 'h', target: '/oxen/v4/lsrpc', port: 0 }, 'MALFORMED'],
    ['proxy to a string port', { host: 'h', target: '/oxen/v4/lsrpc', port: '80' }, 'MALFORMED'],
    ['deliver with a string json flag', { headers: '', json: 'yes' }, 'MALFORMED'],
  ])('rejects %s', (_name, meta, code) => {
    expect(errorCodeOf(() => readHopInstruction(encodeOnionFrame(utf8('x'), meta)))).toBe(code);
  });

  it('peelOnionLayer refuses a layer that decrypts to garbage framing', () => {
    const hop = generateOnionKeyPair();
    const ephemeral = generateOnionKeyPair();
    const key = clientLayerKey('aes-gcm', ephemeral, hop.publicKey);
    const layer = { ciphertext: encryptLayer(key, utf8('not a frame')), ephemeralKey: ephemeral.publicKey, encType: 'aes-gcm' as const };
    expect(errorCodeOf(() => peelOnionLayer(hop, layer))).toBe('BAD_LENGTH');
  });
});

describe('proxy targets', () => {
  it.each([
    ['https', '/oxen/v4/lsrpc', true],
    ['http', '/loki/v3/lsrpc', true],
    ['ftp', '/oxen/v4/lsrpc', false],
    ['https', '/other/v4/lsrpc', false],
    ['https', '/oxen/v4/lsrpc?x=1', false],
    ['https', '/oxen/v4/file', false],
  ])('%s %s -> %p', (protocol, target, allowed) => {
    expect(isAllowedProxyTarget(protocol as string, target as string)).toBe(allowed);
  });
});
