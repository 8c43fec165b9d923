// Prometheus metrics of the community server, beside the edge's RED metrics per route template:
// requests by route template and transport (never raw paths, which carry tokens and ids), posts,
// rejections by reason, and gauges of what is stored, read from the models when scraped.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, ServiceMetrics, type Database } from '@starling/platform';
import type { Counter } from 'prom-client';
import { AUTH_REJECTIONS } from '../auth/authenticator';
import { FilesModel } from '../files/files.model';
import { RoomsModel } from '../rooms/rooms.model';

export type Via = 'http' | 'onion' | 'batch';

/** Refusals counted as rejections (by status, `http_<status>`) in open_groups_rejections_total. */
export const COUNTED_REFUSALS: ReadonlySet<number> = new Set([403, 406, 413, 429]);

/** Onion requests the server could not read (counted as rejections by the onion module). */
export type OnionRejection = 'onion_undecryptable' | 'onion_bad_v4';

/** Every reason open_groups_rejections_total counts, so that each starts at 0. */
const REJECTION_REASONS: readonly string[] = [
  ...AUTH_REJECTIONS,
  ...(['onion_undecryptable', 'onion_bad_v4'] satisfies OnionRejection[]),
  ...[...COUNTED_REFUSALS].map((status) => `http_${status}`),
];

@Injectable()
export class OpenGroupsMetrics {
  readonly requests: Counter<'route' | 'method' | 'status' | 'via'>;
  readonly messagesPosted: Counter<never>;
  readonly rejections: Counter<'reason'>;

  constructor(service: ServiceMetrics) {
    this.requests = service.counter('open_groups_requests_total', 'Requests handled, by route template, method, status and transport (http, onion, batch)', ['route', 'method', 'status', 'via']);
    this.messagesPosted = service.counter('open_groups_messages_posted_total', 'Room messages posted');
    this.rejections = service.counter('open_groups_rejections_total', 'Requests refused, by reason', ['reason'], { reason: REJECTION_REASONS });
  }

  /** Counts one dispatched request when its status is known. */
  startRequest(route: string, method: string, via: Via): (status: number) => void {
    return (status) => this.requests.inc({ route, method, status: String(status), via });
  }
}

/** Gauges of rooms and files, read when Prometheus scrapes. */
@Injectable()
export class StoredDataGauges implements OnModuleInit {
  constructor(
    private readonly service: ServiceMetrics,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly files: FilesModel,
  ) {}

  onModuleInit(): void {
    const { db, rooms, files } = this;
    this.service.gauge('open_groups_active_users', 'Active users per room (within the active-user window)', ['room'], async function () {
      const counts = await rooms.activeUsers(db);
      this.reset();
      for (const r of counts) this.set({ room: r.token }, r.activeUsers);
    });
    this.service.gauge('open_groups_files_stored', 'Room files currently stored', [], async function () {
      this.set((await files.stored(db)).count);
    });
    this.service.gauge('open_groups_file_bytes_stored', 'Bytes of room files currently stored', [], async function () {
      this.set((await files.stored(db)).bytes);
    });
  }
}
