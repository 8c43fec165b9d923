// A known path asked with a method it does not serve answers 405 with the methods it does serve
// in Allow, directly, through an onion request and in a batch; an unknown path stays 404.
import { expectJson, forEachBackend } from './helpers';
import { onionV4 } from './onion-client';

forEachBackend('405 with Allow', (h) => {
  it.each([
    ['DELETE', '/room/test-room', 'GET, PUT'],
    ['POST', '/capabilities', 'GET'],
    ['GET', '/batch', 'POST'],
    ['PUT', '/room/test-room/messages/recent', 'GET'],
    ['GET', '/room/test-room/message', 'POST'],
    ['POST', '/room/test-room/message/1', 'GET, PUT, DELETE'],
    ['PATCH', '/room/test-room', 'GET, PUT'],
    ['OPTIONS', '/inbox', 'GET, DELETE'],
  ])('%s %s: 405, Allow: %s', async (method, path, allow) => {
    const res = await h().request(method, path, null, method === 'POST' || method === 'PUT' ? { json: {} } : {});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
  });

  it('answers HEAD on a GET route with 405 and its Allow', async () => {
    const res = await h().request('HEAD', '/capabilities');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  it('keeps 404 for an unknown path, whatever the method', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) expect((await h().request(method, '/no/such/route')).status).toBe(404);
    expect((await h().request('DELETE', '/room/test-room/bogus')).status).toBe(404);
  });

  it('says the same through an onion request and in a batch', async () => {
    const reply = await onionV4(h(), 'DELETE', '/capabilities', null);
    expect(reply.code).toBe(405);
    expect(reply.headers.allow).toBe('GET');
    const batch = expectJson(await h().post('/batch', null, [{ method: 'DELETE', path: '/room/test-room' }]));
    expect(batch[0]).toMatchObject({ code: 405, headers: { allow: 'GET, PUT' } });
  });
});
