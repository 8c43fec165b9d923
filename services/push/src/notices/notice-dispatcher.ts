// A storage node reports a new message in a watched namespace; this turns it into one encrypted
// notice per live subscription of that account and namespace that has not had it yet, and hands
// the notices to the delivery queue.
import { encodePushNotice, encryptPushNotice, toHex } from '@starling/crypto';
import type { DeliveryQueue } from '../delivery/delivery-queue';
import type { PushProvider } from '../delivery/provider';
import type { DeliveryMetrics } from '../metrics';
import type { SubscriptionStore } from '../subscriptions/subscription-store';
import type { NoticeFilter } from './notice-filter';
import { RecentKeys } from './recent-keys';

/** What a storage node's monitor stream reports for a new message (storage-onion.md 1.10). */
export interface MessageNotice {
  /** 33-byte account id. */
  account: Buffer;
  hash: string;
  namespace: number;
  timestampMs: number;
  expiryMs: number;
  /** Present when the monitor asked for data. */
  data?: Buffer;
}

/** Upstream's bounds on a notice's hash length (a storage hash is 43 characters). */
const HASH_MIN = 32;
const HASH_MAX = 99;

export interface NoticeDispatcherOptions {
  store: SubscriptionStore;
  filter: NoticeFilter;
  queue: DeliveryQueue;
  providers: ReadonlyMap<string, PushProvider>;
  metrics: DeliveryMetrics;
  now?: () => number;
  /** How long this replica skips repeats of a message it dispatched (default 60 s; 60-120 s in fact). */
  repeatWindowMs?: number;
}

export class NoticeDispatcher {
  private readonly now: () => number;
  /**
   * Messages this replica has already dispatched: the other swarm members' reports of them cost
   * nothing (no query). Only the shared filter decides across replicas.
   */
  private readonly dispatched: RecentKeys;

  constructor(private readonly options: NoticeDispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.dispatched = new RecentKeys(options.repeatWindowMs ?? 60_000, this.now);
  }

  /** Returns how many notices were queued (0 for a repeat, an unwatched namespace or a bad notice). */
  async dispatch(notice: MessageNotice): Promise<number> {
    const { store, filter, queue, providers, metrics } = this.options;
    metrics.noticeReceived();
    if (notice.account.length !== 33 || notice.hash.length < HASH_MIN || notice.hash.length > HASH_MAX) return 0;
    const key = `${notice.account.toString('hex')}:${notice.hash}`;
    if (this.dispatched.has(key)) return 0;
    const subscriptions = await store.forNotice(notice.account, notice.namespace, Math.floor(this.now() / 1000));
    let queued = 0;
    for (const sub of subscriptions) {
      const provider = providers.get(sub.service);
      if (!provider) continue; // a service this replica no longer offers
      if (!(await filter.firstSighting(sub.service, sub.serviceId, notice.hash))) continue;
      const plaintext = encodePushNotice(
        {
          account: toHex(notice.account),
          hash: notice.hash,
          namespace: notice.namespace,
          timestampMs: notice.timestampMs,
          expiryMs: notice.expiryMs,
        },
        sub.wantData ? notice.data : undefined,
      );
      const target = { serviceId: sub.serviceId, ...(sub.serviceData ? { serviceData: sub.serviceData } : {}) };
      if (queue.enqueue({ provider, target, notice: { encPayload: encryptPushNotice(plaintext, sub.encKey), expiryMs: notice.expiryMs } })) queued++;
    }
    // Only once the whole report went through: a failed attempt leaves the next member's report to do it.
    this.dispatched.add(key);
    return queued;
  }
}
