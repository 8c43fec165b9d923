// Being a listed node: what a relay and a storage node share. The public routes every listed node
// answers, the onion hop behind them (forwarding over gRPC, proxying to HTTP servers, delivering
// to this node), admission, the gRPC server with RelayService, and membership in the network.
// The service says what the node answers storage RPCs addressed to it with (`rpc`).
import { Inject, Injectable, Module, type DynamicModule, type ModuleMetadata, type OnModuleInit, type Provider, type Type } from '@nestjs/common';
import { toHex } from '@starling/crypto';
import { Edge, GrpcMetrics, ServiceMetrics, SHARED_STATE, ServiceHost, type SharedState } from '@starling/platform';
import { common, GrpcHost, relay } from '@starling/proto';
import { AdmissionControl } from './admission/admission';
import { relayGrpcHandlers } from './grpc/relay-grpc';
import { nodeRoutes } from './http/node-routes';
import { NodeMembership } from './membership/node-membership';
import { HopMetrics } from './hop-metrics';
import { HttpProxy } from './onion/http-proxy';
import { NextHop } from './onion/next-hop';
import { OnionHop } from './onion/onion-hop';
import { NODE_KEYS, SERVICE_NODE_OPTIONS, type NodeKeys, type ServiceNodeOptions } from './options';
import { RpcDestination, type NodeRpc } from './rpc/node-rpc';

export const NODE_RPC = Symbol('NodeRpc');

export interface ServiceNodeModuleOptions {
  options: ServiceNodeOptions;
  /** Provides NODE_KEYS. */
  keys: Provider;
  /** What the node answers storage RPCs addressed to it with (direct or as the end of a path). */
  rpc: Type<NodeRpc>;
  /** Modules whose exports `rpc` needs. */
  imports?: ModuleMetadata['imports'];
}

/** Puts the node's routes on the edge and its RelayService on the gRPC server. */
@Injectable()
class NodeSurface implements OnModuleInit {
  constructor(
    private readonly edge: Edge,
    private readonly grpc: GrpcHost,
    private readonly hop: OnionHop,
    private readonly admission: AdmissionControl,
    private readonly metrics: HopMetrics,
    @Inject(NODE_RPC) private readonly rpc: NodeRpc,
    @Inject(NODE_KEYS) private readonly keys: NodeKeys,
    @Inject(SERVICE_NODE_OPTIONS) private readonly options: ServiceNodeOptions,
  ) {}

  onModuleInit(): void {
    const pubkeyEd25519 = toHex(this.keys.ed25519.publicKey);
    const { hop, admission, metrics, rpc } = this;
    this.edge.route(...nodeRoutes({ hop, rpc, admission, metrics, pubkeyEd25519, maxOnionBytes: this.options.maxOnionBytes, version: this.options.version }));
    this.grpc.serve(relay.RelayServiceService, relayGrpcHandlers({ hop, metrics, pubkeyEd25519, version: this.options.version }));
  }
}

@Module({})
export class ServiceNodeModule {
  static register({ options, keys, rpc, imports = [] }: ServiceNodeModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: SERVICE_NODE_OPTIONS, useValue: options },
      keys,
      { provide: NODE_RPC, useClass: rpc },
      {
        provide: GrpcHost,
        inject: [ServiceHost],
        useFactory: (host: ServiceHost) =>
          host.addListener(
            new GrpcHost(
              { host: options.grpc.host, port: options.grpc.port, maxReceiveBytes: options.maxOnionBytes + 1024 * 1024, observe: host.grpcMetrics.server },
              () => host.serving(),
            ),
          ),
      },
      { provide: AdmissionControl, inject: [SHARED_STATE], useFactory: (state: SharedState) => new AdmissionControl(state, options.admission) },
      NodeMembership,
      {
        provide: HopMetrics,
        inject: [ServiceMetrics, AdmissionControl, NodeMembership],
        useFactory: (metrics: ServiceMetrics, admission: AdmissionControl, membership: NodeMembership) =>
          new HopMetrics(metrics, () => admission.current, () => countByRole(membership)),
      },
      {
        provide: NextHop,
        inject: [NodeMembership, GrpcMetrics],
        useFactory: (membership: NodeMembership, grpcMetrics: GrpcMetrics) => new NextHop(membership, options.hopTimeoutMs, grpcMetrics.client),
      },
      { provide: HttpProxy, useFactory: () => new HttpProxy(options.proxy.allow, options.proxy.timeoutMs, options.proxy.maxResponseBytes) },
      {
        provide: OnionHop,
        inject: [NODE_KEYS, NextHop, HttpProxy, NODE_RPC],
        useFactory: (nodeKeys: NodeKeys, nextHop: NextHop, proxy: HttpProxy, nodeRpc: NodeRpc) => new OnionHop(nodeKeys.x25519, nextHop, proxy, new RpcDestination(nodeRpc)),
      },
      NodeSurface,
    ];
    return {
      module: ServiceNodeModule,
      imports,
      providers,
      exports: [SERVICE_NODE_OPTIONS, NODE_KEYS, GrpcHost, NodeMembership, HopMetrics, AdmissionControl, OnionHop],
    };
  }
}

function countByRole(membership: NodeMembership): Record<string, number> {
  const counts: Record<string, number> = { store: 0, relay: 0 };
  for (const node of membership.map?.nodes ?? []) {
    if (node.role === common.NodeRole.NODE_ROLE_STORE) counts.store++;
    else if (node.role === common.NodeRole.NODE_ROLE_RELAY) counts.relay++;
  }
  return counts;
}
