// What every service process has, whatever it does: a logger, metrics, health checks, the public
// edge and the ops listener, its storage, and the order in which all of that starts and stops.
// The host is made before Nest builds the service (so that a start that fails half-way can still
// close what was opened) and handed to Nest as the provider behind PlatformModule.
import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { openDatabase, type Database, type OpenDatabaseOptions } from '../database';
import { Edge, type EdgeOptions } from '../edge/edge';
import { opsRoutes } from '../edge/ops-routes';
import { HealthChecks } from '../health';
import { createLogger } from '../logger';
import { createMetrics, GrpcMetrics, HttpMetrics, recordBuildInfo, ServiceMetrics, SHORT_DURATION_BUCKETS, starlingVersion } from '../metrics';
import { migrate } from '../migrate';
import { openSharedState, type OpenSharedStateOptions, type SharedState } from '../shared-state';

/** Something that accepts connections: the edge, a gRPC server. */
export interface Listener {
  readonly name: string;
  listen(): Promise<void>;
  /** Stops accepting, lets work in progress finish within `graceMs`, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

export interface DrainOptions {
  /** After readiness turns false, requests are still served this long (load balancers catch up). */
  delayMs: number;
  /** Then work in progress gets this long to finish before connections are cut. */
  graceMs: number;
}

export interface ServiceOptions {
  /** The service's name in logs and metrics (`entry-relay`). */
  name: string;
  /** The release in `starling_build_info` (default: the repository's version, starlingVersion()). */
  version?: string;
  logger?: Logger;
  /** The public listener; absent for a process with no public HTTP surface. */
  edge?: EdgeOptions;
  /** The cluster-only listener of /healthz, /readyz and /metrics; absent: none (tests). */
  ops?: { host: string; port: number };
  drain?: Partial<DrainOptions>;
  /**
   * The service's database and the folder of its migrations. `use`: a database opened by the
   * caller (tests), migrated but left open when the service stops.
   */
  database?: OpenDatabaseOptions & { migrations?: string; use?: Database };
  sharedState?: OpenSharedStateOptions;
}

const DEFAULT_DRAIN: DrainOptions = { delayMs: 0, graceMs: 5_000 };

/** The ops listener and the stop of a service, from its lifecycleConfig settings. */
export function lifecycleOptions(config: { host: string; opsPort: number; drainDelay: number; shutdownGrace: number }): Pick<ServiceOptions, 'ops' | 'drain'> {
  return { ops: { host: config.host, port: config.opsPort }, drain: { delayMs: config.drainDelay, graceMs: config.shutdownGrace } };
}

export class ServiceHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly httpMetrics: HttpMetrics;
  /** Observers for the gRPC clients and servers of the service (libs/proto takes them as options). */
  readonly grpcMetrics: GrpcMetrics;
  readonly health = new HealthChecks();
  readonly edge: Edge | undefined;
  readonly ops: Edge | undefined;
  private readonly drain: DrainOptions;
  private readonly listeners: Listener[] = [];
  /** Closed last, newest first: storage outlives every listener and every provider's own shutdown. */
  private readonly resources: { name: string; close: () => Promise<unknown> }[] = [];
  private resourcesClosed = false;
  private stopping: Promise<void> | undefined;

  constructor(readonly options: ServiceOptions) {
    this.logger = options.logger ?? createLogger(options.name);
    this.metrics = createMetrics(options.name);
    this.httpMetrics = new HttpMetrics(this.metrics);
    this.grpcMetrics = new GrpcMetrics(this.metrics);
    recordBuildInfo(this.metrics, options.version ?? starlingVersion());
    this.drain = { ...DEFAULT_DRAIN, ...options.drain };
    this.health.addLiveness('event-loop', () => true);
    if (options.edge) {
      this.edge = new Edge(options.edge, this.logger, this.httpMetrics);
      this.addListener(edgeListener('edge', this.edge));
    }
    if (options.ops) {
      this.ops = new Edge({ ...options.ops, maxBodyBytes: 0 }, this.logger).route(...opsRoutes(this.health, this.metrics));
    }
  }

  /** A listener started with the service and drained when it stops (gRPC servers register here). */
  addListener<L extends Listener>(listener: L): L {
    this.listeners.push(listener);
    return listener;
  }

  /** Whether the service is ready (the gRPC health service answers from it). */
  async serving(): Promise<boolean> {
    return (await this.health.readiness()).ok;
  }

  /** Something to close after every listener has drained and every provider has shut down. */
  track(name: string, close: () => Promise<unknown>): void {
    this.resources.push({ name, close });
    // Providers start together: one may finish opening after another's failure aborted the start.
    if (this.resourcesClosed) void this.closeResources();
  }

  async openDatabase(): Promise<Database> {
    const { migrations, use, ...options } = this.options.database ?? {};
    const wait = this.metrics.histogram('db_pool_wait_seconds', 'Time a statement or transaction waited for a database connection (pg pool; PGlite: its one connection)', [], SHORT_DURATION_BUCKETS);
    const db = use ?? (await openDatabase({ ...options, observeWait: (seconds) => wait.observe(seconds) }));
    if (!use) this.track('database', () => db.close());
    if (migrations) {
      const applied = await migrate(db, migrations);
      if (applied.length > 0) this.logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    }
    this.health.addReadiness('database', () => db.query('SELECT 1'));
    return db;
  }

  async openSharedState(): Promise<SharedState> {
    const options = this.options.sharedState ?? {};
    const duration = options.url
      ? this.metrics.histogram('redis_command_duration_seconds', 'Round trip of Redis commands (rate limits, nonces, wake-ups), by command', ['command'], SHORT_DURATION_BUCKETS)
      : undefined;
    const state = await openSharedState(duration ? { ...options, observeCommand: (command, seconds) => duration.observe({ command }, seconds) } : options);
    this.track('shared state', () => state.close());
    return state;
  }

  // Global module: runs before any service provider's bootstrap, so ports are bound when a
  // service announces itself.
  async onApplicationBootstrap(): Promise<void> {
    for (const listener of this.listeners) await listener.listen();
    await this.ops?.listen();
  }

  /**
   * The whole stop: readiness fails at once, the service's providers stop taking new work
   * (their beforeApplicationShutdown), requests are still served for the drain delay (each answer
   * closing its connection, so that clients reconnect through their load balancer), the
   * listeners drain, providers flush (onApplicationShutdown), storage closes, ops goes last.
   */
  stop(close: () => Promise<void>): Promise<void> {
    this.stopping ??= (async () => {
      this.leave();
      await close();
    })();
    return this.stopping;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.leave();
    if (this.drain.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.drain.delayMs));
    await Promise.all(this.listeners.map((l) => l.close(this.drain.graceMs)));
  }

  /** Readiness fails and the edge's answers close their connections; requests are still served. */
  private leave(): void {
    this.health.markShuttingDown();
    this.edge?.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.closeResources();
  }

  /** After a failed start: closes whatever was opened, listeners first. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.listeners.map((l) => l.close(0)));
    await this.closeResources();
  }

  private async closeResources(): Promise<void> {
    this.resourcesClosed = true;
    for (const { name, close } of this.resources.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.logger.error({ err, resource: name }, 'closing failed');
      }
    }
    await this.ops?.close(0);
  }
}

function edgeListener(name: string, edge: Edge): Listener {
  return { name, listen: () => edge.listen(), close: (graceMs) => edge.close(graceMs) };
}
