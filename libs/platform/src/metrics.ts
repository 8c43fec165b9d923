// Prometheus metrics: one Registry per service, labelled `service`, with the Node.js default
// metrics, plus RED metrics (rate, errors, duration) for HTTP endpoints labelled by route
// TEMPLATE — a raw URL would put room tokens or ids in labels and explode the series count.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Collect process/Node.js default metrics (default true). */
  defaultMetrics?: boolean;
}

export const DEFAULT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(
    readonly service: string,
    options: MetricsOptions = {},
  ) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void | Promise<void>): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: number[] = DEFAULT_DURATION_BUCKETS,
  ): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** Prometheus text exposition format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export function createMetrics(service: string, options?: MetricsOptions): ServiceMetrics {
  return new ServiceMetrics(service, options);
}

export type HttpLabel = 'route' | 'method' | 'status';

/** RED metrics for HTTP endpoints: `http_requests_total` and `http_request_duration_seconds`. */
export class HttpMetrics {
  readonly requests: Counter<HttpLabel>;
  readonly duration: Histogram<HttpLabel>;
  /** Connections closed on arrival because the edge held as many as it may. */
  readonly droppedConnections: Counter<never>;

  constructor(metrics: ServiceMetrics) {
    this.requests = metrics.counter('http_requests_total', 'HTTP requests handled, by route template, method and status', ['route', 'method', 'status']);
    this.duration = metrics.histogram('http_request_duration_seconds', 'HTTP request duration in seconds, by route template, method and status', ['route', 'method', 'status']);
    this.droppedConnections = metrics.counter('http_connections_dropped_total', 'Connections closed on arrival because the public listener held as many as it may');
  }

  /**
   * Records one finished request. `route` must be the route template (`/room/:token`), or
   * UNMATCHED_ROUTE for requests that matched no route.
   */
  observe(route: string, method: string, status: number, durationSeconds: number): void {
    const labels = { route, method: method.toUpperCase(), status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, durationSeconds);
  }

  /** Starts a timer; call the returned function with the status when the response is sent. */
  start(route: string, method: string): (status: number) => void {
    const started = process.hrtime.bigint();
    return (status) => this.observe(route, method, status, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

export const UNMATCHED_ROUTE = 'unmatched';
