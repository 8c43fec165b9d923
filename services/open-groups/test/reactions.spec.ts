// Reactions: add/remove semantics, seqno bumps, t=r reaction-only rows, reactors and `you`.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('reactions', (h) => {
  it('adds and removes with seqno, duplicates are not errors', async () => {
    const author = h().newUser();
    const fan = h().newUser();
    const msg = await h().postMessage(author);
    const added = expectJson(await h().put(`/room/test-room/reaction/${msg.id}/👍`, fan, {}));
    expect(added).toEqual({ added: true, seqno: msg.seqno + 1 });
    expect(expectJson(await h().put(`/room/test-room/reaction/${msg.id}/👍`, fan, {}))).toEqual({ added: false, seqno: added.seqno });
    const removed = expectJson(await h().del(`/room/test-room/reaction/${msg.id}/👍`, fan));
    expect(removed).toEqual({ removed: true, seqno: added.seqno + 1 });
    expect(expectJson(await h().del(`/room/test-room/reaction/${msg.id}/👍`, fan))).toEqual({ removed: false, seqno: removed.seqno });
  });

  it('reports reactions with index, count, reactors and you; t=r gives reaction-only rows', async () => {
    const author = h().newUser();
    const users = [h().newUser(), h().newUser(), h().newUser()];
    const msg = await h().postMessage(author, 'room2');
    for (const u of users) await h().put(`/room/room2/reaction/${msg.id}/❤️`, u, {});
    await h().put(`/room/room2/reaction/${msg.id}/y/n`, users[0], {});
    const view = expectJson(await h().get(`/room/room2/message/${msg.id}?reactors=2`, users[0]));
    expect(view.reactions).toEqual({
      '❤️': { index: 0, count: 3, reactors: [users[0].id, users[1].id], you: true },
      'y/n': { index: 1, count: 1, reactors: [users[0].id], you: true },
    });
    const noReactors = expectJson(await h().get(`/room/room2/message/${msg.id}?reactors=0`, author));
    expect(noReactors.reactions['❤️']).toEqual({ index: 0, count: 3 });

    const withR = expectJson(await h().get(`/room/room2/messages/since/${msg.seqno}?t=r&reactors=5`));
    expect(withR).toEqual([{ id: msg.id, seqno: expect.any(Number), reactions: expect.objectContaining({ '❤️': expect.objectContaining({ count: 3 }) }) }]);
    expect(expectJson(await h().get(`/room/room2/messages/since/${msg.seqno}`))).toEqual([]);

    const reactors = expectJson(await h().get(`/room/room2/reactors/${msg.id}/❤️`));
    expect(reactors.map((r: any) => r[0])).toEqual(users.map((u) => u.id));
    expect(expectJson(await h().get(`/room/room2/reactors/${msg.id}/❤️?limit=1`)).length).toBe(1);
  });

  it('validates reaction length and message state', async () => {
    const user = h().newUser();
    const msg = await h().postMessage(user, 'room2');
    expect((await h().put(`/room/room2/reaction/${msg.id}/abcdefghijklm`, user, {})).status).toBe(400);
    expect(expectJson(await h().put(`/room/room2/reaction/${msg.id}/abcdefghijkl`, user, {})).added).toBe(true);
    expect((await h().put(`/room/room2/reaction/999999/x`, user, {})).status).toBe(404);
    await h().del(`/room/room2/message/${msg.id}`, user);
    expect((await h().put(`/room/room2/reaction/${msg.id}/x`, user, {})).status).toBe(404);
  });

  it('lets moderators clear all or one emoji', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    const user = h().newUser();
    const msg = await h().postMessage(user, 'room2');
    await h().put(`/room/room2/reaction/${msg.id}/a`, user, {});
    await h().put(`/room/room2/reaction/${msg.id}/b`, user, {});
    await h().put(`/room/room2/reaction/${msg.id}/b`, mod, {});
    expect((await h().del(`/room/room2/reactions/${msg.id}`, user)).status).toBe(403);
    expect(expectJson(await h().del(`/room/room2/reactions/${msg.id}/b`, mod)).removed).toBe(2);
    expect(expectJson(await h().del(`/room/room2/reactions/${msg.id}`, mod)).removed).toBe(1);
    expect(expectJson(await h().get(`/room/room2/message/${msg.id}`)).reactions).toEqual({});
  });
});
