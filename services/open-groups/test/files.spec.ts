// Room files: upload lifetime, claiming by posts, pin/unpin and room image expiry, downloads.
import { expectJson, forEachBackend, Harness, TestUser } from './helpers';

async function upload(h: Harness, user: TestUser, room: string, data: Buffer, filename?: string) {
  return h.request('POST', `/room/${room}/file`, user, {
    body: data,
    headers: filename ? { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` } : {},
  });
}

async function expiry(h: Harness, id: number): Promise<number | null> {
  const res = await h.server.db.query<{ expiry: number | null }>('SELECT expiry FROM files WHERE id = $1', [id]);
  return res.rows[0].expiry === null ? null : Number(res.rows[0].expiry);
}

forEachBackend('room files', (h) => {
  it('uploads with 201, downloads with headers, unclaimed files live an hour', async () => {
    const user = h().newUser();
    const data = Buffer.from([0, 1, 2, 3, 255]);
    const { id } = expectJson(await upload(h(), user, 'test-room', data, 'cat 🐱.png'), 201);
    expect(await expiry(h(), id)).toBe(h().clock.now() + 3600);
    const res = await h().get(`/room/test-room/file/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.equals(data)).toBe(true);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('cat 🐱.png')}`);
    expect(res.headers['content-length']).toBe('5');
    expect(res.headers.expires).toBe(new Date((h().clock.now() + 3600) * 1000).toUTCString());
    expect((await h().get(`/room/test-room/file/${id}/whatever.png`)).status).toBe(200);
    expect((await h().get(`/room/room2/file/${id}`)).status).toBe(404);
    expect((await h().get('/room/test-room/file/999999')).status).toBe(404);
  });

  it('claims own uploads on post for 15 days, ignores others and other rooms', async () => {
    const user = h().newUser();
    const thief = h().newUser();
    const a = expectJson(await upload(h(), user, 'test-room', Buffer.from('a')), 201).id;
    const b = expectJson(await upload(h(), user, 'room2', Buffer.from('b')), 201).id;
    const msg = await h().postMessage(thief, 'test-room', undefined, { files: [a] });
    expect(await expiry(h(), a)).toBe(h().clock.now() + 3600); // not stolen
    await h().postMessage(user, 'test-room', undefined, { files: [a, b] });
    expect(await expiry(h(), a)).toBe(h().clock.now() + 15 * 86400);
    expect(await expiry(h(), b)).toBe(h().clock.now() + 3600); // other room
    expect(msg.id).toBeGreaterThan(0);
  });

  it('pinning makes attachments permanent, deleting the post expires them', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    const f = expectJson(await upload(h(), admin, 'room2', Buffer.from('pinned')), 201).id;
    const msg = await h().postMessage(admin, 'room2', undefined, { files: [f] });
    await h().post(`/room/room2/pin/${msg.id}`, admin, {});
    expect(await expiry(h(), f)).toBeNull();
    await h().post(`/room/room2/unpin/${msg.id}`, admin, {});
    expect(await expiry(h(), f)).toBe(h().clock.now() + 15 * 86400);
    await h().del(`/room/room2/message/${msg.id}`, admin);
    expect(await expiry(h(), f)).toBe(h().clock.now());
    await h().server.runJobs();
    expect((await h().get(`/room/room2/file/${f}`)).status).toBe(404);
  });

  it('sets a room image (never expires), 406 for a file of another room', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    const img = expectJson(await upload(h(), admin, 'test-room', Buffer.from('png')), 201).id;
    const other = expectJson(await upload(h(), admin, 'room2', Buffer.from('png')), 201).id;
    expect((await h().put('/room/test-room', admin, { image: other })).status).toBe(406);
    const info = expectJson(await h().put('/room/test-room', admin, { image: img })).info_updates;
    expect(expectJson(await h().get('/room/test-room'))).toMatchObject({ image_id: img, info_updates: info });
    expect(await expiry(h(), img)).toBeNull();
  });

  it('refuses uploads without upload or write permission', async () => {
    const user = h().newUser();
    await h().admin.setPermissions(['room2'], ['upload'], false, [user.id]);
    expect((await upload(h(), user, 'room2', Buffer.from('x'))).status).toBe(403);
    await h().admin.setPermissions(['room2'], ['upload'], null, [user.id]);
    await h().admin.setPermissions(['room2'], ['write'], false, [user.id]);
    expect((await upload(h(), user, 'room2', Buffer.from('x'))).status).toBe(403);
    expect((await upload(h(), h().newUser(), 'room2', Buffer.alloc(0))).status).toBe(400);
  });
});

forEachBackend(
  'room file size cap',
  (h) => {
    it('answers 413 above the configured maximum', async () => {
      const user = h().newUser();
      expect((await upload(h(), user, 'test-room', Buffer.alloc(101))).status).toBe(413);
      expect((await upload(h(), user, 'test-room', Buffer.alloc(100))).status).toBe(201);
    });
  },
  { maxFileBytes: 100 },
);
