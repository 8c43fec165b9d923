// Whispers: only moderators send them; visibility per §1.5.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('whispers', (h) => {
  it('shows directed and mod whispers only to the right people', async () => {
    const mod = h().newUser();
    const mod2 = h().newUser();
    const target = h().newUser();
    const bystander = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    await h().admin.addModerator(mod2.id, ['room2']);
    expect((await h().get('/room/room2', target)).status).toBe(200); // target known to the server
    const toTarget = await h().postMessage(mod, 'room2', undefined, { whisper_to: target.id });
    expect(toTarget).toMatchObject({ whisper: true, whisper_mods: false, whisper_to: target.id });
    const toMods = await h().postMessage(mod, 'room2', undefined, { whisper_mods: true });
    expect(toMods).toMatchObject({ whisper: true, whisper_mods: true });
    expect(toMods).not.toHaveProperty('whisper_to');

    const ids = async (user: any) => expectJson(await h().get('/room/room2/messages/since/0', user)).map((m: any) => m.id);
    expect(await ids(null)).not.toEqual(expect.arrayContaining([toTarget.id]));
    expect(await ids(null)).not.toContain(toMods.id);
    expect(await ids(bystander)).not.toContain(toTarget.id);
    expect(await ids(target)).toContain(toTarget.id);
    expect(await ids(target)).not.toContain(toMods.id);
    expect(await ids(mod2)).toContain(toMods.id);
    expect(await ids(mod2)).not.toContain(toTarget.id);
    expect(await ids(mod)).toEqual(expect.arrayContaining([toTarget.id, toMods.id]));
    expect((await h().get(`/room/room2/message/${toTarget.id}`, bystander)).status).toBe(404);
  });

  it('refuses whispers from non-moderators', async () => {
    const user = h().newUser();
    const res = await h().post('/room/room2/message', user, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64'), whisper_mods: true });
    expect(res.status).toBe(403);
  });
});
