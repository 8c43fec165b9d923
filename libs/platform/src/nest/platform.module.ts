// The platform's providers, injected wherever a service needs them: the host itself, its logger,
// metrics, health checks and edge, and (when the service has them) its database and shared
// state. Global, so that its lifecycle hooks run first on start and last on stop.
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Edge } from '../edge/edge';
import { HealthChecks } from '../health';
import { GrpcMetrics, HttpMetrics, ServiceMetrics } from '../metrics';
import { ServiceHost } from './service-host';

export const LOGGER = Symbol('Logger');
export const DATABASE = Symbol('Database');
export const SHARED_STATE = Symbol('SharedState');

@Global()
@Module({})
export class PlatformModule {
  static forHost(host: ServiceHost): DynamicModule {
    const providers: Provider[] = [
      { provide: ServiceHost, useValue: host },
      { provide: LOGGER, useValue: host.logger },
      { provide: ServiceMetrics, useValue: host.metrics },
      { provide: HttpMetrics, useValue: host.httpMetrics },
      { provide: GrpcMetrics, useValue: host.grpcMetrics },
      { provide: HealthChecks, useValue: host.health },
    ];
    if (host.edge) providers.push({ provide: Edge, useValue: host.edge });
    if (host.options.database) providers.push({ provide: DATABASE, useFactory: () => host.openDatabase() });
    if (host.options.sharedState) providers.push({ provide: SHARED_STATE, useFactory: () => host.openSharedState() });
    return { module: PlatformModule, providers, exports: providers.map((p) => (p as { provide: unknown }).provide as symbol) };
  }
}
