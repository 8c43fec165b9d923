// Per-room sequence counter. Taking the next value locks the room row until the transaction
// ends, so changes in one room commit in seqno order and a poller never skips one.
import type { Queryable } from '@starling/platform';
import { NotFound } from '../domain/errors';

export async function nextSeqno(q: Queryable, roomId: number): Promise<number> {
  const res = await q.query<{ message_sequence: string }>(
    'UPDATE rooms SET message_sequence = message_sequence + 1 WHERE id = $1 RETURNING message_sequence',
    [roomId],
  );
  if (!res.rows[0]) throw new NotFound('No such room');
  return Number(res.rows[0].message_sequence);
}

/** Takes the room's row lock without allocating a seqno (for changes that may turn out no-ops). */
export async function lockRoom(q: Queryable, roomId: number): Promise<void> {
  const res = await q.query('SELECT 1 FROM rooms WHERE id = $1 FOR UPDATE', [roomId]);
  if (!res.rowCount) throw new NotFound('No such room');
}
