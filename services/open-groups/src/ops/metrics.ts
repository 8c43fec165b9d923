// Prometheus metrics of the community server: requests by route template (never raw paths, which
// carry tokens and ids), posts, rejections by reason, and gauges read from the database.
import { HttpMetrics, ServiceMetrics, type Database } from '@starling/platform';
import type { Counter } from 'prom-client';

export class OpenGroupsMetrics {
  readonly http: HttpMetrics;
  readonly subrequests: Counter<'route' | 'method' | 'status' | 'via'>;
  readonly messagesPosted: Counter<never>;
  readonly rejections: Counter<'reason'>;

  constructor(
    readonly service: ServiceMetrics,
    db: Database,
  ) {
    this.http = new HttpMetrics(service);
    this.subrequests = service.counter('open_groups_requests_total', 'Requests handled, by route template, method, status and transport (http, onion, batch)', ['route', 'method', 'status', 'via']);
    this.messagesPosted = service.counter('open_groups_messages_posted_total', 'Room messages posted');
    this.rejections = service.counter('open_groups_rejections_total', 'Requests refused, by reason', ['reason']);
    service.gauge('open_groups_active_users', 'Active users per room (within the active-user window)', ['room'], async function () {
      const res = await db.query<{ token: string; active_users: string }>('SELECT token, active_users FROM rooms');
      this.reset();
      for (const r of res.rows) this.set({ room: r.token }, Number(r.active_users));
    });
    service.gauge('open_groups_files_stored', 'Room files currently stored', [], async function () {
      const res = await db.query<{ n: string }>('SELECT count(*) AS n FROM files');
      this.set(Number(res.rows[0].n));
    });
    service.gauge('open_groups_file_bytes_stored', 'Bytes of room files currently stored', [], async function () {
      const res = await db.query<{ n: string | null }>('SELECT sum(size) AS n FROM files');
      this.set(Number(res.rows[0].n ?? 0));
    });
  }

  /** Times one dispatched request; outer HTTP requests also feed the RED metrics. */
  startRequest(route: string, method: string, via: 'http' | 'onion' | 'batch'): (status: number) => void {
    const finishHttp = via === 'http' ? this.http.start(route, method) : undefined;
    return (status) => {
      finishHttp?.(status);
      this.subrequests.inc({ route, method, status: String(status), via });
    };
  }
}
