// A service's gRPC server as a listener (of the platform's ServiceHost): bound with the edge when
// the service starts, drained with it when the service stops, with the standard health service.
import * as grpc from '@grpc/grpc-js';
import { addGrpcHealthService } from './grpc-health';
import { addMultiplexedService, hasMultiplex } from './grpc-mux';
import { observedHandlers, type GrpcCallObserver } from './grpc-observe';
import { bindGrpcServer, drainGrpcServer } from './grpc-server';

export interface GrpcHostOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest message a peer may send (default grpc-js's 4 MiB). */
  maxReceiveBytes?: number;
  /** Told of every unary call answered, on its own or on a Multiplex stream (metrics). */
  observe?: GrpcCallObserver;
}

export class GrpcHost {
  readonly name = 'grpc';
  readonly server: grpc.Server;
  private boundPort: number | undefined;
  /** Full names of the services served, which the health service answers for. */
  private readonly services = new Set<string>();

  /** `serving` answers the health service (the service's readiness). */
  constructor(
    private readonly options: GrpcHostOptions,
    serving: () => Promise<boolean>,
  ) {
    this.server = new grpc.Server(options.maxReceiveBytes ? { 'grpc.max_receive_message_length': options.maxReceiveBytes } : {});
    addGrpcHealthService(this.server, serving, this.services);
  }

  /** Serves a generated service; its unary methods on its Multiplex stream too, when it has one. */
  serve<H extends object>(service: grpc.ServiceDefinition, served: H): void {
    const handlers = this.options.observe ? observedHandlers(service, served, this.options.observe) : served;
    if (hasMultiplex(service)) addMultiplexedService(this.server, service, handlers);
    else this.server.addService(service, handlers as grpc.UntypedServiceImplementation);
    const path = Object.values(service)[0]?.path ?? '';
    this.services.add(path.slice(1, path.lastIndexOf('/')));
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
