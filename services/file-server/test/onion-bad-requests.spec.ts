// What the onion endpoint does with requests it cannot read: a layer that does not decrypt gets a
// plain 400 (there is no key to encrypt an answer with); a decrypted request that is not valid v4
// gets the encrypted 400 "Invalid v4 onion request", as pysogs.
import { decodeV4Response, decryptOnionResponse, encodeOnionFrame, encodeV4Request, generateOnionKeyPair, toHex, utf8 } from '@starling/crypto';
import { fileRows, serverBackends, startServer, type Harness } from './support/harness';
import { exitPost, postToServer } from './support/onion-client';

describe.each(serverBackends().filter((b) => b.blobStore === 'db'))('bad onion requests on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  const v4Upload = (text = 'hello') => encodeV4Request({ meta: { method: 'POST', endpoint: '/file', headers: {} }, body: utf8(text) });

  it.each(['xchacha20', 'aes-gcm'] as const)('a flipped ciphertext byte (%s) is a plain 400 and stores nothing', async (encType) => {
    const post = exitPost(h.server, v4Upload(`hello ${encType}`), encType);
    const rowsBefore = await fileRows(h.db);
    const tampered = Uint8Array.from(post.body);
    tampered[4 + 30] ^= 0x01; // inside the ciphertext, after the 4-byte length
    const res = await postToServer(h.server, post.target, tampered);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Invalid ciphertext');
    expect(await fileRows(h.db)).toEqual(rowsBefore);

    // The untouched request works: the failure was the flipped byte.
    const ok = await postToServer(h.server, post.target, post.body);
    expect(ok.status).toBe(200);
    expect(decodeV4Response(decryptOnionResponse(post.responseKey, new Uint8Array(await ok.arrayBuffer()), 'binary')).code).toBe(200);
  });

  it('a layer encrypted to another server key is a plain 400', async () => {
    const other = generateOnionKeyPair();
    const post = exitPost({ ...h.server, publicKeyHex: toHex(other.publicKey) }, v4Upload(), 'xchacha20');
    const res = await postToServer(h.server, post.target, post.body);
    expect([res.status, await res.text()]).toEqual([400, 'Invalid ciphertext']);
  });

  it.each([
    ['no length prefix', Uint8Array.of(1, 2)],
    ['length past the end', Uint8Array.of(0xff, 0, 0, 0, 1, 2, 3)],
    ['no JSON', encodeOnionFrame(new Uint8Array(40), {}).subarray(0, 44)],
    ['no ephemeral_key', encodeOnionFrame(new Uint8Array(40), { enc_type: 'xchacha20' })],
    ['unknown enc_type', encodeOnionFrame(new Uint8Array(40), { ephemeral_key: '11'.repeat(32), enc_type: 'rot13' })],
  ])('an unreadable envelope (%s) is a plain 400', async (_what, body) => {
    const res = await postToServer(h.server, '/oxen/v4/lsrpc', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it.each([
    ['not bencode', utf8('{"method":"GET"}')],
    ['three strings', utf8('l2:{}1:a1:be')],
    ['endpoint without /', utf8('l35:{"method":"GET","endpoint":"file"}e')],
    ['unterminated list', utf8('l2:{}')],
  ])('a decrypted request that is not v4 (%s) gets the encrypted 400', async (_what, payload) => {
    const post = exitPost(h.server, payload, 'xchacha20');
    const res = await postToServer(h.server, post.target, post.body);
    expect(res.status).toBe(200);
    const reply = decodeV4Response(decryptOnionResponse(post.responseKey, new Uint8Array(await res.arrayBuffer()), 'binary'));
    expect(reply.code).toBe(400);
    expect(reply.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8' });
    expect(Buffer.from(reply.body).toString()).toBe('Invalid v4 onion request');
  });

  it('GET on the onion endpoint is an ordinary 404, not a crash', async () => {
    const res = await fetch(`${h.server.url}/oxen/v4/lsrpc`);
    expect([res.status, await res.json()]).toEqual([404, { status_code: 404 }]);
  });
});
