// A service's gRPC server as a listener of its ServiceHost: bound with the edge when the service
// starts, drained with it when the service stops, with the standard health service on it.
import * as grpc from '@grpc/grpc-js';
import type { Listener, ServiceHost } from '@starling/platform';
import { addGrpcHealthService } from './grpc-health';
import { bindGrpcServer, drainGrpcServer } from './grpc-server';

export interface GrpcHostOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest message a peer may send (default grpc-js's 4 MiB). */
  maxReceiveBytes?: number;
  /** Service names the health service answers for besides the whole server (""). */
  healthServices?: readonly string[];
}

export class GrpcHost implements Listener {
  readonly name = 'grpc';
  readonly server: grpc.Server;
  private boundPort: number | undefined;

  constructor(
    serviceHost: ServiceHost,
    private readonly options: GrpcHostOptions,
  ) {
    this.server = new grpc.Server(options.maxReceiveBytes ? { 'grpc.max_receive_message_length': options.maxReceiveBytes } : {});
    addGrpcHealthService(this.server, async () => (await serviceHost.health.readiness()).ok, options.healthServices);
    serviceHost.addListener(this);
  }

  async listen(): Promise<void> {
    this.boundPort = await bindGrpcServer(this.server, this.options.host, this.options.port);
  }

  close(graceMs: number): Promise<void> {
    return drainGrpcServer(this.server, graceMs);
  }

  get port(): number {
    if (this.boundPort === undefined) throw new Error('the gRPC server is not bound yet');
    return this.boundPort;
  }

  /** host:port as bound. */
  get address(): string {
    return `${this.options.host}:${this.port}`;
  }
}
