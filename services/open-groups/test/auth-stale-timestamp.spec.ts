// Timestamps within ±24 h are accepted; beyond that, 425.
import { expectText, forEachBackend } from './helpers';

const STALE = 'Invalid authentication: X-SOGS-Timestamp is too far from current time';

forEachBackend('auth timestamp window', (h) => {
  it('accepts ±86399 s and refuses ±86401 s', async () => {
    const user = h().newUser();
    const now = h().clock.now();
    expect((await h().get('/inbox', user, { timestamp: now - 86399 })).status).toBe(200);
    expect((await h().get('/inbox', user, { timestamp: now + 86399 })).status).toBe(200);
    expectText(await h().get('/inbox', user, { timestamp: now - 86401 }), 425, STALE);
    expectText(await h().get('/inbox', user, { timestamp: now + 86401 }), 425, STALE);
  });
});
