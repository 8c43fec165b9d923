// Concurrent changes in one room get distinct, gap-free seqnos, so polling never misses or repeats.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('concurrent seqno allocation', (h) => {
  it('gives every concurrent post, edit and reaction its own seqno', async () => {
    const start = expectJson(await h().get('/room/room2')).message_sequence;
    const users = Array.from({ length: 12 }, () => h().newUser());
    const posted = await Promise.all(users.map((u) => h().postMessage(u, 'room2')));
    await Promise.all(posted.map((m, i) => h().put(`/room/room2/reaction/${m.id}/👍`, users[(i + 1) % users.length], {})));
    const end = expectJson(await h().get('/room/room2')).message_sequence;
    expect(end).toBe(start + 24);
    const seen = new Map<number, number>();
    let cursor = start;
    for (;;) {
      const page = expectJson(await h().get(`/room/room2/messages/since/${cursor}?t=r&limit=5`));
      if (!page.length) break;
      for (const m of page) {
        expect(m.seqno).toBeGreaterThan(cursor);
        seen.set(m.id, m.seqno);
        cursor = m.seqno;
      }
    }
    expect(cursor).toBe(end);
    expect([...seen.keys()].sort()).toEqual(posted.map((m) => m.id).sort());
  });
});
