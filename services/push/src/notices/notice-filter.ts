// Every member of a swarm reports the same new message, and several push replicas may watch the
// same swarm: a notice goes out once per (service, device, message hash). The first sighting is
// claimed with setIfAbsent in SharedState (Redis across replicas, in-process without REDIS_URL);
// a local two-generation set answers repeats seen by this replica without a round trip (upstream
// keeps the same kind of rotating filter, for at least its filter_lifetime).
import { blake2b, toBase64 } from '@starling/crypto';
import type { SharedState } from '@starling/platform';
import { RecentKeys } from './recent-keys';

export class NoticeFilter {
  private readonly local: RecentKeys;

  /** A key is remembered for at least windowMs (up to twice that locally). */
  constructor(
    private readonly state: SharedState,
    private readonly windowMs: number,
    now: () => number = Date.now,
  ) {
    this.local = new RecentKeys(windowMs, now);
  }

  /** True exactly once per (service, service id, hash) within the window, across replicas. */
  async firstSighting(service: string, serviceId: string, hash: string): Promise<boolean> {
    const key = filterKey(service, serviceId, hash);
    if (this.local.has(key)) return false;
    this.local.add(key);
    return this.state.setIfAbsent(`push:seen:${key}`, '1', this.windowMs);
  }
}

/** 16 bytes of BLAKE2b over the three parts (NUL-separated so that no two tuples collide). */
function filterKey(service: string, serviceId: string, hash: string): string {
  return toBase64(blake2b(Buffer.from(`${service}\0${serviceId}\0${hash}`, 'utf8'), 16), false);
}
