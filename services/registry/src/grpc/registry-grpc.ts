// RegistryService over grpc-js: nodes announce themselves and send heartbeats, and watch the map
// this replica serves. Domain refusals become status codes here; anything else is INTERNAL.
import type { Logger } from '@starling/platform';
import { grpc, registry } from '@starling/proto';
import type { MapFeed } from '../map/map-feed';
import type { PublishedMap } from '../map/map-store';
import type { RegistryMetrics } from '../metrics';
import { AnnouncementRejected, type RejectionKind } from '../nodes/announcement-check';
import { NodeUnknown, type Announcements } from '../nodes/announcements';

export interface RegistryGrpcDeps {
  announcements: Announcements;
  feed: MapFeed;
  metrics: RegistryMetrics;
  logger: Logger;
}

const REJECTION_STATUS: Record<RejectionKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  clock: grpc.status.FAILED_PRECONDITION,
};

type Watcher = grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>;

export interface RegistryGrpc {
  handlers: registry.RegistryServiceServer;
  /** Ends every watch stream, and every one opened from now on once it has the current map. */
  closeWatchers(): void;
}

export function registryGrpc(deps: RegistryGrpcDeps): RegistryGrpc {
  const watchers = new Set<Watcher>();
  let closing = false;

  const unary =
    <Req, Res>(kind: 'announce' | 'heartbeat', answer: (req: Req) => Promise<Res>) =>
    (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      answer(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (err instanceof AnnouncementRejected) return callback({ code: REJECTION_STATUS[err.kind], details: err.message });
          if (err instanceof NodeUnknown) return callback({ code: grpc.status.NOT_FOUND, details: err.message });
          deps.logger.error({ err, kind }, 'registry call failed');
          callback({ code: grpc.status.INTERNAL, details: 'internal error' });
        },
      );
    };

  const handlers: registry.RegistryServiceServer = {
    announce: unary('announce', (req: registry.AnnounceRequest) => deps.announcements.announce(req)),
    heartbeat: unary('heartbeat', (req: registry.HeartbeatRequest) => deps.announcements.heartbeat(req)),

    getNetworkMap(_call: grpc.ServerUnaryCall<registry.GetNetworkMapRequest, registry.GetNetworkMapResponse>, callback: grpc.sendUnaryData<registry.GetNetworkMapResponse>) {
      const current = deps.feed.current;
      if (!current) {
        callback({ code: grpc.status.UNAVAILABLE, details: 'no network map published yet' });
        return;
      }
      callback(null, { map: current.map });
    },

    watchNetworkMap(call: Watcher) {
      let known = BigInt(call.request.knownVersion || '0');
      const send = (published: PublishedMap) => {
        if (published.version <= known || call.cancelled || call.destroyed) return;
        known = published.version;
        call.write({ map: published.map });
      };
      if (closing) {
        // Draining: the node gets what there is and follows another replica from there.
        if (deps.feed.current) send(deps.feed.current);
        call.end();
        return;
      }
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

  return {
    handlers,
    closeWatchers() {
      // Streams never end on their own; end them so that a graceful shutdown can finish.
      closing = true;
      for (const call of [...watchers]) call.end();
    },
  };
}
