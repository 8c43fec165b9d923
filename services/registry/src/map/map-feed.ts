// Every replica's view of the newest published map. It polls the version in the database (so a
// follower sees what the leader published) and tells subscribers — gRPC watch streams — about
// each newer version. The leader calls refresh() right after publishing, so it does not wait.
// Readiness needs a readable map table and a first map.
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DATABASE, HealthChecks, LOGGER, type Logger, type Queryable } from '@starling/platform';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { latestMapHeader, loadMap, type PublishedMap } from './map-store';

export type MapListener = (map: PublishedMap) => void;

@Injectable()
export class MapFeed implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private latest: PublishedMap | undefined;
  private readonly listeners = new Set<MapListener>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failing = false;

  constructor(
    @Inject(DATABASE) private readonly db: Queryable,
    @Inject(REGISTRY_CONFIG) private readonly config: Pick<RegistryConfig, 'mapPollIntervalMs'>,
    @Inject(LOGGER) private readonly logger: Logger,
    health: HealthChecks,
  ) {
    health.addReadiness('network map', () => {
      if (this.failing) throw new Error('cannot read the map table');
      if (!this.latest) throw new Error('no map published yet');
    });
  }

  get current(): PublishedMap | undefined {
    return this.latest;
  }

  /** The map published before this replica started is served from the first request on. */
  onModuleInit(): Promise<void> {
    return this.refresh();
  }

  onApplicationBootstrap(): void {
    this.timer ??= setInterval(() => void this.refresh().catch((err) => this.logger.warn({ err }, 'map poll failed')), this.config.mapPollIntervalMs);
  }

  /** After the listeners have drained: no watcher is left to tell. */
  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  subscribe(listener: MapListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Loads the newest version if it is newer than the one held; concurrent calls share one run. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const header = await latestMapHeader(this.db);
      this.failing = false;
      if (!header || (this.latest && header.version <= this.latest.version)) return;
      const published = await loadMap(this.db, header.version);
      if (!published) return; // pruned between the two reads; the next poll finds a newer one
      this.latest = published;
      for (const listener of this.listeners) listener(published);
    } catch (err) {
      this.failing = true;
      throw err;
    }
  }
}
