// Blinded direct messages (§1.11): opaque ciphertexts between blinded ids, kept for a while.
import type { Queryable } from '@starling/platform';

export interface DirectMessage {
  id: number;
  postedAt: number;
  expiresAt: number;
  sender: string;
  recipient: string;
  body: Buffer;
}

interface DmRow {
  id: string;
  posted_at: number;
  expiry: number;
  sender: string;
  recipient: string;
  body: Buffer;
}

export class DmsModel {
  /** The user's received (inbox) or sent (outbox) messages after id `since`, oldest first. */
  async list(q: Queryable, box: 'inbox' | 'outbox', userId: number, since: number, limit: number, now: number): Promise<DirectMessage[]> {
    const mine = box === 'inbox' ? 'i.recipient' : 'i.sender';
    const res = await q.query<DmRow>(
      `SELECT i.id, i.posted_at, i.expiry, s.session_id AS sender, r.session_id AS recipient, i.body
         FROM inbox i JOIN users s ON s.id = i.sender JOIN users r ON r.id = i.recipient
        WHERE ${mine} = $1 AND i.id > $2 AND i.expiry > $3
        ORDER BY i.id LIMIT $4`,
      [userId, since, now, limit],
    );
    return res.rows.map((r) => ({
      id: Number(r.id),
      postedAt: Number(r.posted_at),
      expiresAt: Number(r.expiry),
      sender: r.sender,
      recipient: r.recipient,
      body: r.body,
    }));
  }

  /** Stores a message; returns its id. */
  async send(q: Queryable, recipientId: number, senderId: number, body: Buffer, postedAt: number, expiresAt: number): Promise<number> {
    const res = await q.query<{ id: string }>(
      'INSERT INTO inbox (recipient, sender, body, posted_at, expiry) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [recipientId, senderId, body, postedAt, expiresAt],
    );
    return Number(res.rows[0].id);
  }

  /** Deletes every message the user received; returns how many. */
  async clearInbox(q: Queryable, userId: number): Promise<number> {
    return (await q.query('DELETE FROM inbox WHERE recipient = $1', [userId])).rowCount;
  }

  async deleteExpired(q: Queryable, now: number): Promise<void> {
    await q.query('DELETE FROM inbox WHERE expiry <= $1', [now]);
  }
}
