// Onion requests: v4 (xchacha20 and aes-gcm) and v3, anonymous and signed inner requests.
import { decodeV4Response, decryptLayer, encodeV3Request, encodeV4Request, signSogsRequest, type OnionEncType } from '@starling/crypto';
import { forEachBackend } from './helpers';
import { onion, v4 } from './onion-client';

forEachBackend('onion requests', (h) => {
  it.each(['xchacha20', 'aes-gcm'] as OnionEncType[])('answers an anonymous v4 request (%s)', async (encType) => {
    const { res, raw, key } = await onion(h(), '/oxen/v4/lsrpc', v4(h(), 'GET', '/room/test-room', null), encType);
    expect(res.status).toBe(200);
    const reply = decodeV4Response(decryptLayer(key, raw));
    expect(reply.code).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(Buffer.from(reply.body).toString()).token).toBe('test-room');
  });

  it('treats a missing enc_type as aes-gcm', async () => {
    const { raw, key } = await onion(h(), '/oxen/v4/lsrpc', v4(h(), 'GET', '/capabilities', null), 'aes-gcm', false);
    expect(decodeV4Response(decryptLayer(key, raw)).code).toBe(200);
  });

  it('authenticates the inner request, raw UTF-8 and %-encoded endpoints alike', async () => {
    const user = h().newUser();
    const body = Buffer.from(JSON.stringify({ data: 'aGk=', signature: Buffer.alloc(64).toString('base64') }));
    const posted = await onion(h(), '/oxen/v4/lsrpc', v4(h(), 'POST', '/room/test-room/message', user, body), 'xchacha20');
    const reply = decodeV4Response(decryptLayer(posted.key, posted.raw));
    expect(reply.code).toBe(201);
    const msg = JSON.parse(Buffer.from(reply.body).toString());
    expect(msg.session_id).toBe(user.id);
    for (const endpoint of [`/room/test-room/reaction/${msg.id}/🎉`, `/room/test-room/reaction/${msg.id}/${encodeURIComponent('🚀')}`]) {
      const plain = encodeV4Request({
        meta: {
          method: 'PUT',
          endpoint,
          headers: signSogsRequest(user.secret, { serverPk: h().serverPk, timestamp: h().clock.now(), method: 'PUT', path: decodeURIComponent(endpoint), body: '{}' }, 'blind15') as unknown as Record<string, string>,
        },
        body: Buffer.from('{}'),
      });
      const r = await onion(h(), '/oxen/v4/lsrpc', plain, 'xchacha20');
      const rr = decodeV4Response(decryptLayer(r.key, r.raw));
      expect(rr.code).toBe(200);
      expect(JSON.parse(Buffer.from(rr.body).toString()).added).toBe(true);
    }
  });

  it('passes error responses through and answers bad inner requests with 400', async () => {
    const notFound = await onion(h(), '/oxen/v4/lsrpc', v4(h(), 'GET', '/room/nope', null), 'xchacha20');
    const reply = decodeV4Response(decryptLayer(notFound.key, notFound.raw));
    expect(reply.code).toBe(404);
    const garbage = await onion(h(), '/oxen/v4/lsrpc', Buffer.from('not bencode'), 'xchacha20');
    const bad = decodeV4Response(decryptLayer(garbage.key, garbage.raw));
    expect(bad).toEqual({ code: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: new Uint8Array(Buffer.from('Invalid v4 onion request')) });
  });

  it('refuses an undecryptable body with a plain 400', async () => {
    const res = await fetch(h().server.address + '/oxen/v4/lsrpc', { method: 'POST', body: Buffer.from([1, 0, 0, 0, 9, 123, 125]) });
    expect(res.status).toBe(400);
  });

  it('serves v3: raw body on success, status_code otherwise, base64 of the ciphertext', async () => {
    for (const target of ['/oxen/v3/lsrpc', '/loki/v3/lsrpc']) {
      const ok = await onion(h(), target, encodeV3Request({ endpoint: '/capabilities', method: 'GET' }), 'xchacha20');
      const plain = Buffer.from(decryptLayer(ok.key, Buffer.from(ok.raw.toString(), 'base64'))).toString();
      expect(JSON.parse(plain).capabilities).toContain('sogs');
    }
    const missing = await onion(h(), '/oxen/v3/lsrpc', encodeV3Request({ endpoint: '/room/nope', method: 'GET' }), 'xchacha20');
    expect(JSON.parse(Buffer.from(decryptLayer(missing.key, Buffer.from(missing.raw.toString(), 'base64'))).toString())).toEqual({ status_code: 404 });
  });
});
