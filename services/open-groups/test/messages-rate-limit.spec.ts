// 5 posts per 16 s per user per room; admins are exempt, moderators are not.
import { expectText, forEachBackend } from './helpers';

forEachBackend('post rate limit', (h) => {
  it('answers 429 on the sixth post within 16 s and allows posting again later', async () => {
    const user = h().newUser();
    for (let i = 0; i < 5; i++) await h().postMessage(user);
    const res = await h().post('/room/test-room/message', user, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') });
    expectText(res, 429, 'Rate limited');
    await h().postMessage(user, 'room2'); // per room
    h().clock.advance(17);
    await h().postMessage(user);
  });

  it('exempts admins but not moderators', async () => {
    const admin = h().newUser();
    const mod = h().newUser();
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    await h().admin.addModerator(mod.id, ['test-room']);
    for (let i = 0; i < 7; i++) await h().postMessage(admin);
    for (let i = 0; i < 5; i++) await h().postMessage(mod);
    expect((await h().post('/room/test-room/message', mod, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') })).status).toBe(429);
  });
});

forEachBackend(
  'configured post rate limit',
  (h) => {
    it('answers 429 on the third post within the configured minute', async () => {
      const user = h().newUser();
      for (let i = 0; i < 2; i++) await h().postMessage(user);
      const res = await h().post('/room/test-room/message', user, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') });
      expectText(res, 429, 'Rate limited');
      h().clock.advance(30);
      expect((await h().post('/room/test-room/message', user, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') })).status).toBe(429);
      h().clock.advance(31);
      await h().postMessage(user);
    });
  },
  { postRateLimit: 2, postRateWindowMs: 60_000 },
);
