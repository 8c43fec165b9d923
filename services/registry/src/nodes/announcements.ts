// Nodes join and stay in the network through any replica: an announcement (re)writes the node's
// own row, a heartbeat keeps it fresh. Both are checked before anything is written; a change
// asks the leader for an epoch (a no-op on a follower: the leader's next interval picks it up).
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '@starling/platform';
import type { registry } from '@starling/proto';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { LeaderDuties } from '../leader/leader-duties';
import { MapFeed } from '../map/map-feed';
import { RegistryMetrics } from '../metrics';
import { AnnouncementRejected, checkAnnouncement, checkHeartbeat } from './announcement-check';
import { saveAnnouncement, saveHeartbeat } from './node-store';

/** A heartbeat from a node the registry does not know (never announced, or forgotten). */
export class NodeUnknown extends Error {
  constructor() {
    super('node unknown to the registry: announce again');
    this.name = 'NodeUnknown';
  }
}

type CallKind = 'announce' | 'heartbeat';

@Injectable()
export class Announcements {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
    private readonly feed: MapFeed,
    private readonly metrics: RegistryMetrics,
    private readonly duties: LeaderDuties,
  ) {}

  announce(req: registry.AnnounceRequest): Promise<registry.AnnounceResponse> {
    return this.counted('announce', async () => {
      const node = checkAnnouncement(req, Date.now(), this.config.clockWindowMs);
      const outcome = await saveAnnouncement(this.db, node, Date.now());
      if (outcome === 'replayed') throw replayed();
      this.duties.requestEpoch();
      return { outcome, response: { mapVersion: this.currentVersion(), heartbeatIntervalMs: this.config.heartbeatIntervalMs } };
    });
  }

  heartbeat(req: registry.HeartbeatRequest): Promise<registry.HeartbeatResponse> {
    return this.counted('heartbeat', async () => {
      const beat = checkHeartbeat(req, Date.now(), this.config.clockWindowMs);
      const outcome = await saveHeartbeat(this.db, beat, Date.now());
      if (outcome === 'unknown') throw new NodeUnknown();
      if (outcome === 'replayed') throw replayed();
      return { outcome, response: { mapVersion: this.currentVersion() } };
    });
  }

  private currentVersion(): string {
    return (this.feed.current?.version ?? 0n).toString();
  }

  /** Counts every call by its outcome: what was written, why it was refused, or an error. */
  private async counted<R>(kind: CallKind, call: () => Promise<{ outcome: string; response: R }>): Promise<R> {
    try {
      const { outcome, response } = await call();
      this.metrics.announcements.inc({ kind, outcome });
      return response;
    } catch (err) {
      const outcome = err instanceof AnnouncementRejected ? `rejected_${err.kind}` : err instanceof NodeUnknown ? 'unknown' : 'error';
      this.metrics.announcements.inc({ kind, outcome });
      throw err;
    }
  }
}

function replayed(): AnnouncementRejected {
  return new AnnouncementRejected('clock', 'timestamp_ms is not newer than the last one this node signed');
}
