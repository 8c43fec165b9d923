// The relay as a Nest application: a listed node with no storage. Everything it does comes from
// ServiceNodeModule; the relay adds its identity, its answers to direct storage RPCs and its
// (lack of a) destination.
import { Module, type DynamicModule } from '@nestjs/common';
import { common } from '@starling/proto';
import { ServiceNodeModule, serviceNodeOptions } from '@starling/service-node';
import type { RelayConfig } from './config';
import { GuardRpc } from './guard/guard-rpc';
import { relayKeys } from './identity/relay-keys';
import { RelayDestination } from './onion/relay-destination';

export const RELAY_VERSION = '0.1.0';

@Module({})
export class RelayModule {
  static forConfig(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [
        ServiceNodeModule.register({
          options: serviceNodeOptions(config, common.NodeRole.NODE_ROLE_RELAY, RELAY_VERSION),
          keys: relayKeys(config),
          storageRpc: GuardRpc,
          destination: RelayDestination,
        }),
      ],
    };
  }
}
