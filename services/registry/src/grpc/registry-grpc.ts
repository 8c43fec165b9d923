// RegistryService over grpc-js: nodes announce themselves and send heartbeats (any replica
// accepts them: they only write their own row), and watch the map this replica serves.
import type { Logger } from 'pino';
import type { Database } from '@starling/platform';
import { grpc, registry } from '@starling/proto';
import type { MapFeed } from '../map/map-feed';
import type { PublishedMap } from '../map/map-store';
import type { RegistryMetrics } from '../metrics';
import { AnnouncementRejected, checkAnnouncement, checkHeartbeat, type RejectionKind } from '../nodes/announcement-check';
import { saveAnnouncement, saveHeartbeat } from '../nodes/node-store';

export interface RegistryGrpcDeps {
  db: Database;
  feed: MapFeed;
  metrics: RegistryMetrics;
  logger: Logger;
  clockWindowMs: number;
  heartbeatIntervalMs: number;
  /** A node joined or changed what it announces: the leader should run an epoch soon. */
  onNodeChange: () => void;
  now?: () => number;
}

const REJECTION_STATUS: Record<RejectionKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  clock: grpc.status.FAILED_PRECONDITION,
};

type Callback<T> = grpc.sendUnaryData<T>;

export function createRegistryServer(deps: RegistryGrpcDeps): { server: grpc.Server; closeWatchers(): void } {
  const now = deps.now ?? Date.now;
  const watchers = new Set<grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>>();
  const currentVersion = () => (deps.feed.current?.version ?? 0n).toString();

  /** Turns a failure into a status: refusals carry their reason, anything else is INTERNAL. */
  const fail = (kind: 'announce' | 'heartbeat', err: unknown, callback: Callback<never>) => {
    if (err instanceof AnnouncementRejected) {
      deps.metrics.announcements.inc({ kind, outcome: `rejected_${err.kind}` });
      callback({ code: REJECTION_STATUS[err.kind], details: err.message });
      return;
    }
    deps.metrics.announcements.inc({ kind, outcome: 'error' });
    deps.logger.error({ err, kind }, 'registry call failed');
    callback({ code: grpc.status.INTERNAL, details: 'internal error' });
  };

  const handlers: registry.RegistryServiceServer = {
    announce(call: grpc.ServerUnaryCall<registry.AnnounceRequest, registry.AnnounceResponse>, callback: Callback<registry.AnnounceResponse>) {
      void (async () => {
        try {
          const node = checkAnnouncement(call.request, now(), deps.clockWindowMs);
          const outcome = await saveAnnouncement(deps.db, node, now());
          if (outcome === 'replayed') {
            throw new AnnouncementRejected('clock', 'timestamp_ms is not newer than the last one this node signed');
          }
          deps.metrics.announcements.inc({ kind: 'announce', outcome });
          deps.onNodeChange();
          callback(null, { mapVersion: currentVersion(), heartbeatIntervalMs: deps.heartbeatIntervalMs });
        } catch (err) {
          fail('announce', err, callback);
        }
      })();
    },

    heartbeat(call: grpc.ServerUnaryCall<registry.HeartbeatRequest, registry.HeartbeatResponse>, callback: Callback<registry.HeartbeatResponse>) {
      void (async () => {
        try {
          const beat = checkHeartbeat(call.request, now(), deps.clockWindowMs);
          const outcome = await saveHeartbeat(deps.db, beat, now());
          if (outcome === 'unknown') {
            deps.metrics.announcements.inc({ kind: 'heartbeat', outcome });
            callback({ code: grpc.status.NOT_FOUND, details: 'node unknown to the registry: announce again' });
            return;
          }
          if (outcome === 'replayed') {
            throw new AnnouncementRejected('clock', 'timestamp_ms is not newer than the last one this node signed');
          }
          deps.metrics.announcements.inc({ kind: 'heartbeat', outcome });
          callback(null, { mapVersion: currentVersion() });
        } catch (err) {
          fail('heartbeat', err, callback);
        }
      })();
    },

    getNetworkMap(_call: grpc.ServerUnaryCall<registry.GetNetworkMapRequest, registry.GetNetworkMapResponse>, callback: Callback<registry.GetNetworkMapResponse>) {
      const current = deps.feed.current;
      if (!current) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'no network map published yet' });
        return;
      }
      callback(null, { map: current.map });
    },

    watchNetworkMap(call: grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>) {
      let known = BigInt(call.request.knownVersion || '0');
      const send = (published: PublishedMap) => {
        if (published.version <= known || call.cancelled || call.destroyed) return;
        known = published.version;
        call.write({ map: published.map });
      };
      const unsubscribe = deps.feed.subscribe(send);
      watchers.add(call);
      deps.metrics.watchers.inc();
      const done = () => {
        if (!watchers.delete(call)) return;
        unsubscribe();
        deps.metrics.watchers.dec();
      };
      call.on('cancelled', done);
      call.on('close', done);
      call.on('error', done);
      if (deps.feed.current) send(deps.feed.current);
    },
  };

  const server = new grpc.Server();
  server.addService(registry.RegistryServiceService, handlers);
  return {
    server,
    closeWatchers() {
      // Streams never end on their own; end them so that a graceful shutdown can finish.
      for (const call of [...watchers]) call.end();
    },
  };
}
