// The relay as a Nest application: a listed node with no storage. Everything it does comes from
// ServiceNodeModule; the relay adds its identity, its answers to direct storage RPCs and its
// (lack of a) destination.
import { Module, type DynamicModule } from '@nestjs/common';
import { common } from '@starling/proto';
import { ServiceNodeModule } from '@starling/service-node';
import type { RelayConfig } from './config';
import { GuardRpc } from './guard/guard-rpc';
import { relayKeys } from './identity/relay-keys';
import { RelayDestination } from './onion/relay-destination';

export const RELAY_VERSION = '0.1.0';
/** The largest onion request a client may POST (as upstream: 10 MiB). */
export const MAX_ONION_BYTES = 10 * 1024 * 1024;

@Module({})
export class RelayModule {
  static forConfig(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [
        ServiceNodeModule.register({
          options: {
            role: common.NodeRole.NODE_ROLE_RELAY,
            version: RELAY_VERSION,
            registry: { address: config.registryAddress, pubkey: config.registryPubkey },
            grpc: { host: config.host, port: config.grpcPort, advertise: config.advertisedGrpcAddress },
            publicHost: config.publicHost,
            publicPort: config.publicPort,
            admission: {
              capacity: config.bucketCapacity,
              refillPerSecond: config.bucketRefillPerSecond,
              maxInFlight: config.maxInFlight,
              secret: config.rateLimitSecret,
            },
            hopTimeoutMs: config.hopTimeoutMs,
            proxy: { allow: config.proxyAllow, timeoutMs: config.proxyTimeoutMs, maxResponseBytes: config.proxyMaxResponseBytes },
            maxOnionBytes: MAX_ONION_BYTES,
          },
          keys: relayKeys(config),
          storageRpc: GuardRpc,
          destination: RelayDestination,
        }),
      ],
    };
  }
}
