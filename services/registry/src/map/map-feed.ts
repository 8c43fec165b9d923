// Every replica's view of the newest published map. It polls the version in the database (so a
// follower sees what the leader published) and tells subscribers — gRPC watch streams — about
// each newer version. The leader calls refresh() right after publishing, so it does not wait.
import type { Queryable } from '@starling/platform';
import { latestMapHeader, loadMap, type PublishedMap } from './map-store';

export type MapListener = (map: PublishedMap) => void;

export class MapFeed {
  private latest: PublishedMap | undefined;
  private readonly listeners = new Set<MapListener>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly db: Queryable,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  get current(): PublishedMap | undefined {
    return this.latest;
  }

  /** True when the last poll reached the database. */
  get healthy(): boolean {
    return !this.failing;
  }

  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.refresh().catch(this.onError), intervalMs);
  }

  stop(): void {
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
