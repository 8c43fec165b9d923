// /batch and /sequence: subrequests in process as the outer signer, encoded per §1.12.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('batch and sequence', (h) => {
  it('runs mixed subrequests and encodes JSON and binary bodies', async () => {
    const user = h().newUser();
    const fileRes = await h().request('POST', '/room/test-room/file', user, { body: Buffer.from([1, 2, 3]) });
    const fileId = expectJson(fileRes, 201).id;
    const out = expectJson(
      await h().post('/batch', user, [
        { method: 'GET', path: '/capabilities' },
        { method: 'GET', path: '/room/test-room/messages/recent?limit=1' },
        { method: 'POST', path: '/room/test-room/message', json: { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') } },
        { method: 'GET', path: `/room/test-room/file/${fileId}` },
        { method: 'GET', path: '/room/nope' },
        { method: 'GET', path: '/inbox' },
      ]),
    );
    expect(out[0]).toEqual({ code: 200, headers: { 'content-type': 'application/json' }, body: { capabilities: ['blind', 'blind25', 'reactions', 'sogs'] } });
    expect(out[2].code).toBe(201);
    expect(out[2].body.session_id).toBe(user.id); // inherited the outer signer
    expect(out[3]).toMatchObject({ code: 200, body: Buffer.from([1, 2, 3]).toString('base64') });
    expect(out[3].headers['content-type']).toBe('application/octet-stream');
    expect(out[3].headers).not.toHaveProperty('content-length');
    expect(out[4]).toEqual({ code: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('No such room').toString('base64') });
    expect(out[5]).toMatchObject({ code: 200, body: [] });
  });

  it('accepts b64 and bytes bodies', async () => {
    const user = h().newUser();
    const json = JSON.stringify({ data: 'aGk=', signature: Buffer.alloc(64).toString('base64') });
    const out = expectJson(
      await h().post('/batch', user, [
        { method: 'POST', path: '/room/room2/message', b64: Buffer.from(json).toString('base64') },
        { method: 'POST', path: '/room/room2/message', bytes: json },
      ]),
    );
    expect(out.map((r: any) => r.code)).toEqual([201, 201]);
  });

  it('rejects malformed batches as a whole', async () => {
    const user = h().newUser();
    for (const bad of [[], {}, [{ method: 'GET' }], [{ method: 'PATCH', path: '/' }], [{ method: 'GET', path: '/x', json: {} }], [{ method: 'POST', path: '/x' }], [{ method: 'GET', path: '/x', headers: { a: 1 } }]]) {
      expect((await h().post('/batch', user, bad)).status).toBe(400);
    }
  });

  it('stops a sequence after the first failure, which is included', async () => {
    const user = h().newUser();
    const out = expectJson(
      await h().post('/sequence', user, [
        { method: 'GET', path: '/capabilities' },
        { method: 'GET', path: '/room/nope' },
        { method: 'GET', path: '/capabilities' },
      ]),
    );
    expect(out.map((r: any) => r.code)).toEqual([200, 404]);
  });

  it('is anonymous inside when the outer request is', async () => {
    const out = expectJson(await h().post('/batch', null, [{ method: 'GET', path: '/inbox' }]));
    expect(out[0].code).toBe(401);
  });
});
