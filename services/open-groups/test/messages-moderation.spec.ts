// Moderators delete others' posts; whispers cannot carry reactions or pins.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('message moderation', (h) => {
  it('lets a moderator delete any post and an admin nuke a moderator', async () => {
    const mod = h().newUser();
    const admin = h().newUser();
    const user = h().newUser();
    await h().admin.addModerator(mod.id, ['test-room']);
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    const post = await h().postMessage(user);
    expect(expectJson(await h().del(`/room/test-room/message/${post.id}`, mod))).toEqual({});
    const modPost = await h().postMessage(mod);
    const adminPost = await h().postMessage(admin);
    expect((await h().del(`/room/test-room/all/${admin.id}`, mod)).status).toBe(403);
    expect(expectJson(await h().del(`/room/test-room/all/${mod.id}`, admin))).toEqual({});
    expect((await h().get(`/room/test-room/message/${modPost.id}`)).status).toBe(404);
    expect(expectJson(await h().get(`/room/test-room/message/${adminPost.id}`)).id).toBe(adminPost.id);
  });

  it('refuses reactions and pins on whispers', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    const whisper = await h().postMessage(admin, 'room2', undefined, { whisper_mods: true });
    expect((await h().put(`/room/room2/reaction/${whisper.id}/👍`, admin, {})).status).toBe(404);
    expect((await h().post(`/room/room2/pin/${whisper.id}`, admin, {})).status).toBe(404);
  });
});
