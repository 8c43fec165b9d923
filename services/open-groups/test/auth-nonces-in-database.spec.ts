// Without Redis, spent nonces live in the database (as upstream keeps them), not in process
// memory: bounded by disk, shared by every server on the database, pruned once their request's
// timestamp could no longer pass the ±24 h check (which then refuses a replay by itself).
import { createLogger } from '@starling/platform';
import { createCommunityServer } from '../src/server';
import { expectText, forEachBackend } from './helpers';

forEachBackend('nonces in the database', (h) => {
  const stored = async () => Number((await h().server.db.query<{ n: string }>('SELECT count(*) AS n FROM nonces')).rows[0].n);

  it('stores each signed request’s nonce, and prunes it after its window', async () => {
    const before = await stored();
    const user = h().newUser();
    const nonce = new Uint8Array(16).fill(21);
    expect((await h().get('/inbox', user, { nonce })).status).toBe(200);
    expect(await stored()).toBe(before + 1);
    expectText(await h().get('/inbox', user, { nonce }), 425, 'Invalid authentication: X-SOGS-Nonce cannot be reused');
    const sentAt = h().clock.now();
    h().clock.advance(86400 + 1);
    await h().server.runJobs();
    expect(await stored()).toBeLessThanOrEqual(before);
    // The replay is still refused: its timestamp is now too old.
    expectText(await h().get('/inbox', user, { nonce, timestamp: sentAt }), 425, 'Invalid authentication: X-SOGS-Timestamp is too far from current time');
  });

  it('lets exactly one of many concurrent requests with one nonce through', async () => {
    const user = h().newUser();
    const nonce = new Uint8Array(16).fill(22);
    const statuses = await Promise.all(Array.from({ length: 12 }, () => h().get('/inbox', user, { nonce }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 425)).toHaveLength(11);
  });

  it('shares spent nonces between servers on one database', async () => {
    const other = await createCommunityServer({ db: h().server.db, now: h().clock.now, serverKeyHex: undefined, logger: createLogger('other', { level: 'silent' }) });
    try {
      const user = h().newUser();
      const nonce = new Uint8Array(16).fill(23);
      expect((await h().get('/inbox', user, { nonce })).status).toBe(200);
      // The same signed request, replayed to the other server (its key differs: the nonce check comes first).
      const headers = h().sign(user, 'GET', '/inbox', Buffer.alloc(0), { nonce });
      const res = await fetch(`${other.address}/inbox`, { headers });
      expect(res.status).toBe(425);
    } finally {
      await other.close();
    }
  });
});
