import type { Counter, Histogram } from 'prom-client';

/** The replication part of the node metrics (see node-metrics.ts). */
export interface ReplicationMetrics {
  sends: Counter<'method' | 'outcome'>;
  failures: Counter<'method'>;
  lag: Histogram<string>;
}
