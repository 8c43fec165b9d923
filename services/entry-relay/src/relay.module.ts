// The relay as a Nest application: a listed node with no storage. Everything it does comes from
// ServiceNodeModule; the relay adds its identity and its answers to storage RPCs addressed to it.
import { Module, type DynamicModule } from '@nestjs/common';
import { common } from '@starling/proto';
import { ServiceNodeModule, serviceNodeOptions, STORAGE_SERVER_VERSION_TEXT } from '@starling/service-node';
import type { RelayConfig } from './config';
import { relayKeys } from './identity/relay-keys';
import { RelayRpc } from './rpc/relay-rpc';

@Module({})
export class RelayModule {
  static forConfig(config: RelayConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [
        ServiceNodeModule.register({
          options: serviceNodeOptions(config, common.NodeRole.NODE_ROLE_RELAY, STORAGE_SERVER_VERSION_TEXT),
          keys: relayKeys(config),
          rpc: RelayRpc,
        }),
      ],
    };
  }
}
