// Prometheus metrics: one Registry per service with the Node.js default metrics, plus RED metrics
// (rate, errors, duration) for HTTP endpoints labelled by route TEMPLATE — a raw URL would put
// room tokens or ids in labels and explode the series count — and latency of gRPC calls.
// Series carry no `service` label of their own: the scraper sets it (the charts' ServiceMonitor
// copies the Kubernetes component label), and under prometheus-operator a label of ours would
// only be renamed `exported_service`.
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Collect process/Node.js default metrics (default true). */
  defaultMetrics?: boolean;
}

export const DEFAULT_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** For waits that are usually near zero (a free pool connection, a Redis round trip on the LAN). */
export const SHORT_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Every value each label can take, for counters that must exist at 0 before their first event:
 * all combinations of the lists, or of each entry's lists when values depend on each other.
 */
export type KnownLabelValues<L extends string> = { readonly [K in L]: readonly string[] } | readonly { readonly [K in L]: readonly string[] }[];

export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(
    readonly service: string,
    options: MetricsOptions = {},
  ) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A counter. With `known`, every combination of the listed label values starts at 0, so that
   * rates and ratios over it (alerts, dashboards) have a series before the first event.
   */
  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], known?: KnownLabelValues<L>): Counter<L> {
    const counter = new Counter({ name, help, labelNames, registers: [this.registry] });
    if (known) for (const labels of labelCombinations(known)) counter.inc(labels, 0);
    return counter;
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

/** The cross product of the known values: one label set per combination. */
export function labelCombinations<L extends string>(known: KnownLabelValues<L>): Partial<Record<L, string>>[] {
  if (Array.isArray(known)) return (known as readonly KnownLabelValues<L>[]).flatMap((k) => labelCombinations(k));
  const values = known as { readonly [K in L]: readonly string[] };
  let sets: Partial<Record<L, string>>[] = [{}];
  for (const name of Object.keys(values) as L[]) sets = sets.flatMap((set) => values[name].map((value) => ({ ...set, [name]: value })));
  return sets;
}

/** `starling_build_info{version} 1`: which release each pod runs (rollouts, mixed versions). */
export function recordBuildInfo(metrics: ServiceMetrics, version: string): void {
  metrics.gauge('starling_build_info', 'Always 1, labelled with the Starling release this process runs', ['version']).set({ version }, 1);
}

/**
 * The Starling release: the version of the repository's root package.json (the workspace root,
 * present in the image too), found from this file upwards; every package is released with it.
 */
export function starlingVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { version?: string; workspaces?: unknown };
      if (manifest.workspaces && typeof manifest.version === 'string') return manifest.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
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

export type GrpcLabel = 'grpc_service' | 'method' | 'code';

/** One finished unary gRPC call, as libs/proto reports it (GrpcCallObserver there). */
export interface GrpcCall {
  /** Full service name, `starling.relay.v1.RelayService`. */
  service: string;
  /** Method name as in the .proto file, `ForwardOnion`. */
  method: string;
  /** gRPC status code (0 = OK). */
  code: number;
}

/**
 * Latency of unary gRPC calls, by service, method and status code name: the calls this process
 * makes (`grpc_client_duration_seconds`, each attempt, including those carried on a Multiplex
 * stream) and those it answers (`grpc_server_handled_seconds`). The label is `grpc_service`, not
 * `service`, which the scraper sets to the Starling service. libs/proto does not depend on the
 * platform: `client` and `server` are the observer functions its GrpcClientOptions and
 * GrpcHostOptions take.
 */
export class GrpcMetrics {
  readonly clientDuration: Histogram<GrpcLabel>;
  readonly serverDuration: Histogram<GrpcLabel>;
  readonly client: (call: GrpcCall, seconds: number) => void;
  readonly server: (call: GrpcCall, seconds: number) => void;

  constructor(metrics: ServiceMetrics) {
    this.clientDuration = metrics.histogram('grpc_client_duration_seconds', 'Unary gRPC calls made: time until the answer arrived, by service, method and status code', ['grpc_service', 'method', 'code']);
    this.serverDuration = metrics.histogram('grpc_server_handled_seconds', 'Unary gRPC calls answered: time to handle, by service, method and status code', ['grpc_service', 'method', 'code']);
    this.client = (call, seconds) => this.clientDuration.observe(grpcLabels(call), seconds);
    this.server = (call, seconds) => this.serverDuration.observe(grpcLabels(call), seconds);
  }
}

// The names grpc-js and every gRPC library print (grpc.status in @grpc/grpc-js), by code.
const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

function grpcLabels(call: GrpcCall): Record<GrpcLabel, string> {
  return { grpc_service: call.service, method: call.method, code: GRPC_CODES[call.code] ?? String(call.code) };
}
