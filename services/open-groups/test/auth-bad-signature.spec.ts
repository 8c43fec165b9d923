// A signature that does not cover this request: 401, whatever part differs.
import { expectJson, expectText, forEachBackend } from './helpers';

const FAILED = 'Invalid authentication: X-SOGS-Signature verification failed';

forEachBackend('auth signature', (h) => {
  it('refuses a flipped signature bit', async () => {
    const user = h().newUser();
    const headers = h().sign(user, 'GET', '/inbox', Buffer.alloc(0));
    const sig = Buffer.from(headers['X-SOGS-Signature'], 'base64');
    sig[10] ^= 4;
    expectText(await h().get('/inbox', null, { headers: { ...headers, 'X-SOGS-Signature': sig.toString('base64') } }), 401, FAILED);
  });

  it('refuses a signature over another path or query', async () => {
    const user = h().newUser();
    expectText(await h().get('/inbox', user, { signPath: '/outbox' }), 401, FAILED);
    expectText(await h().get('/room/test-room/messages/recent?limit=5', user, { signPath: '/room/test-room/messages/recent?limit=6' }), 401, FAILED);
    expect(expectJson(await h().get('/room/test-room/messages/recent?limit=5', user))).toEqual([]);
  });

  it('covers the body hash', async () => {
    const user = h().newUser();
    const json = { data: Buffer.from('hello').toString('base64'), signature: Buffer.alloc(64).toString('base64') };
    const body = Buffer.from(JSON.stringify(json));
    const headers = h().sign(user, 'POST', '/room/test-room/message', body);
    const tampered = Buffer.from(JSON.stringify({ ...json, data: Buffer.from('HELLO').toString('base64') }));
    expectText(await h().request('POST', '/room/test-room/message', null, { body: tampered, headers }), 401, FAILED);
    expect((await h().request('POST', '/room/test-room/message', user, { body })).status).toBe(201);
  });

  it('accepts 25-blinded signatures', async () => {
    const user = h().newUser('blind25');
    expect(user.id.startsWith('25')).toBe(true);
    const posted = await h().postMessage(user);
    expect(posted.session_id).toBe(user.id);
    const recent = expectJson(await h().get('/room/test-room/messages/recent', user));
    expect(recent[0].id).toBe(posted.id);
  });
});
