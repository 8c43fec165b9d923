// Background work every few seconds (§4.4): expired files, old edit history, expired DMs, stale
// room activity and active-user counts, and due permission/ban changes. Each step is one
// statement (or one transaction), so replicas may run it concurrently without harm.
import type { Logger } from '@starling/platform';
import type { AppContext } from '../context';

const DAY = 86400;
const HISTORY_KEEP = 30 * DAY;
const ACTIVITY_KEEP = 60 * DAY;

export class CleanupJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.running) return; // a slow run is never overlapped by the next
      this.running = this.runOnce()
        .catch((err) => this.logger.error({ err }, 'cleanup failed'))
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(): Promise<void> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    await db.query('UPDATE rooms SET image = NULL WHERE image IN (SELECT id FROM files WHERE expiry <= $1)', [now]);
    await db.query('DELETE FROM files WHERE expiry <= $1', [now]);
    await db.query('DELETE FROM message_history WHERE replaced < $1', [now - HISTORY_KEEP]);
    await db.query('DELETE FROM inbox WHERE expiry <= $1', [now]);
    await db.query('DELETE FROM room_users WHERE last_active < $1', [now - ACTIVITY_KEEP]);
    await db.query(
      `UPDATE rooms r SET active_users = (SELECT count(*) FROM room_users ru WHERE ru.room = r.id AND ru.last_active >= $1)`,
      [now - this.ctx.settings.activeUsersCutoffSeconds],
    );
    await this.applyPermissionFutures(now);
    await this.applyBanFutures(now);
  }

  /** A scheduled value equal to the room default is stored as "use the default" (null). */
  private async applyPermissionFutures(now: number): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const due = await tx.query<{ id: string; room: string; user: string; read: boolean | null; write: boolean | null; upload: boolean | null }>(
        'DELETE FROM user_permission_futures WHERE at <= $1 RETURNING id, room, "user", read, write, upload',
        [now],
      );
      for (const f of due.rows.sort((a, b) => Number(a.id) - Number(b.id))) {
        for (const perm of ['read', 'write', 'upload'] as const) {
          if (f[perm] === null) continue;
          await tx.query(
            `INSERT INTO user_permission_overrides (room, "user", ${perm})
             SELECT id, $2, CASE WHEN ${perm} = $3 THEN NULL ELSE $3 END FROM rooms WHERE id = $1
             ON CONFLICT (room, "user") DO UPDATE SET ${perm} = EXCLUDED.${perm}`,
            [f.room, f.user, f[perm]],
          );
        }
        await tx.query(
          `DELETE FROM user_permission_overrides WHERE room = $1 AND "user" = $2 AND NOT banned AND NOT moderator
             AND read IS NULL AND accessible IS NULL AND write IS NULL AND upload IS NULL`,
          [f.room, f.user],
        );
      }
    });
  }

  private async applyBanFutures(now: number): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const due = await tx.query<{ room: string | null; user: string; banned: boolean }>(
        'DELETE FROM user_ban_futures WHERE at <= $1 RETURNING room, "user", banned',
        [now],
      );
      for (const b of due.rows) {
        if (b.room === null) await tx.query('UPDATE users SET banned = $2 WHERE id = $1', [b.user, b.banned]);
        else await tx.query('UPDATE user_permission_overrides SET banned = $3 WHERE room = $1 AND "user" = $2', [b.room, b.user, b.banned]);
      }
    });
  }
}
