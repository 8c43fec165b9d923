// Metrics of the onion hops a node relays and of its public edge's admission; never labelled by
// anything that identifies a client.
import type { Counter, Histogram } from 'prom-client';
import type { ServiceMetrics } from '@starling/platform';
import { ADMISSION_REJECTIONS } from './admission/admission';
import { HOP_OUTCOMES, type HopOutcome } from './onion/hop-reply';

const HOP_ENTRIES = ['http', 'grpc'] as const;
export type HopEntry = (typeof HOP_ENTRIES)[number];

export class HopMetrics {
  readonly onionRequests: Counter<'entry' | 'outcome'>;
  readonly hopDuration: Histogram<'entry'>;
  readonly rejections: Counter<'reason'>;

  constructor(metrics: ServiceMetrics, inFlight: () => number, knownNodes: () => Record<string, number>) {
    this.onionRequests = metrics.counter('relay_onion_requests_total', 'Onion layers received, by entry (http from clients, grpc from other nodes) and outcome', ['entry', 'outcome'], {
      entry: HOP_ENTRIES,
      outcome: HOP_OUTCOMES,
    });
    this.hopDuration = metrics.histogram('relay_onion_hop_duration_seconds', 'Time from receiving an onion layer to answering it, including the rest of the path', ['entry']);
    this.rejections = metrics.counter('relay_admission_rejections_total', 'Requests refused at the edge, by reason', ['reason'], { reason: ADMISSION_REJECTIONS });
    metrics.gauge('relay_in_flight_requests', 'Onion requests in progress', [], function () {
      this.set(inFlight());
    });
    metrics.gauge('relay_known_nodes', 'Nodes in the network map this node follows, by role', ['role'], function () {
      for (const [role, count] of Object.entries(knownNodes())) this.set({ role }, count);
    });
  }

  record(entry: HopEntry, outcome: HopOutcome, seconds: number): void {
    this.onionRequests.inc({ entry, outcome });
    this.hopDuration.observe({ entry }, seconds);
  }
}
