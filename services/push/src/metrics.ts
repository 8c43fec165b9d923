// The push service's domain metrics, registered on its platform registry (names fixed for the
// dashboard and alerts). Outcomes of one delivery attempt:
//   delivered | retried (will be tried again) | unregistered (subscription dropped)
//   rejected (refused for good) | exhausted (retries used up) | expired (message expired first)
//   overflow (queue full, notice dropped)
// Counters of rare events (refusals, failed deliveries) start at 0 for every known label value,
// so that the dashboard and the alerts' ratios have a series before the first such event.
import { ONION_OUTCOMES, ONION_VERSIONS } from '@starling/onion-server';
import type { ServiceMetrics } from '@starling/platform';
import { MonitorErrorCode } from '@starling/proto';

export const DELIVERY_OUTCOMES = ['delivered', 'retried', 'unregistered', 'rejected', 'exhausted', 'expired', 'overflow'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** What the delivery queue and the notice dispatcher report. */
export interface DeliveryMetrics {
  noticeReceived(): void;
  delivery(provider: string, outcome: DeliveryOutcome): void;
  deliveryDuration(provider: string, seconds: number): void;
}

// Provider round trips: tens of ms normally, seconds when a push service is slow.
const DELIVERY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class PushMetrics implements DeliveryMetrics {
  private readonly notices;
  private readonly deliveries;
  private readonly durations;
  private readonly onionRequests;
  private readonly monitorRefusals;

  /**
   * `countSubscriptions` is read at each scrape (the table is shared by replicas); `providers` are
   * the services this server offers (unifiedpush, firebase, apns), whose delivery series start at 0.
   */
  constructor(
    private readonly metrics: ServiceMetrics,
    countSubscriptions: () => Promise<number>,
    providers: readonly string[] = [],
  ) {
    metrics.gauge('push_subscriptions', 'Stored push subscriptions (all replicas)', [], async function collect() {
      this.set(await countSubscriptions());
    });
    this.notices = metrics.counter('push_notices_received_total', 'New-message notices received from storage node monitors');
    this.deliveries = metrics.counter('push_deliveries_total', 'Delivery attempts by provider and outcome', ['provider', 'outcome'], {
      provider: providers,
      outcome: DELIVERY_OUTCOMES,
    });
    this.durations = metrics.histogram('push_delivery_duration_seconds', 'Time of one delivery attempt to the provider', ['provider'], DELIVERY_BUCKETS);
    for (const provider of providers) this.durations.zero({ provider });
    this.onionRequests = metrics.counter('push_onion_requests_total', 'Onion requests addressed to this server by version and outcome', ['version', 'outcome'], {
      version: ONION_VERSIONS,
      outcome: ONION_OUTCOMES,
    });
    this.monitorRefusals = metrics.counter('push_monitor_refusals_total', 'Monitor subscriptions a storage node refused, by its error code', ['errcode'], {
      errcode: Object.values(MonitorErrorCode).map(String),
    });
  }

  /** The swarm monitors' size, read at each scrape. */
  watchMonitors(source: { readonly accountCount: number; readonly streamCount: number }): void {
    this.metrics.gauge('push_watched_accounts', 'Accounts whose swarms this replica watches', [], function collect() {
      this.set(source.accountCount);
    });
    this.metrics.gauge('push_monitor_streams', 'Monitor streams this replica holds open to storage nodes', [], function collect() {
      this.set(source.streamCount);
    });
  }

  onion(version: string, outcome: string): void {
    this.onionRequests.inc({ version, outcome });
  }

  monitorRefused(errcode: number, count: number): void {
    this.monitorRefusals.inc({ errcode: String(errcode) }, count);
  }

  noticeReceived(): void {
    this.notices.inc();
  }

  delivery(provider: string, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ provider, outcome });
  }

  deliveryDuration(provider: string, seconds: number): void {
    this.durations.observe({ provider }, seconds);
  }
}
