import { defineConfig, lifecycleConfig, loadConfig, type ConfigValues } from '@starling/platform';
import { nodeConfig } from '@starling/service-node';

export const relayConfigSpec = defineConfig({
  ...nodeConfig('ENTRY_RELAY'),
  httpPort: { env: 'ENTRY_RELAY_HTTP_PORT', type: 'port', default: 22021, description: 'public port (/onion_req/v2, /storage_rpc/v1, /ping_test/v1)' },
  grpcPort: { env: 'ENTRY_RELAY_GRPC_PORT', type: 'port', default: 22031, description: 'gRPC port other nodes forward onion layers to' },
  dataDir: { env: 'ENTRY_RELAY_DATA_DIR', type: 'string', default: '.data/entry-relay', description: 'folder holding the relay key (unless ENTRY_RELAY_KEY is set)' },
  keyHex: { env: 'ENTRY_RELAY_KEY', type: 'string', secret: true, description: 'the relay identity seed as 64 hex characters (a Kubernetes Secret shared by one relay group)' },
  registryAddress: { env: 'REGISTRY_GRPC_ADDRESS', type: 'string', required: true, description: 'host:port of the registry gRPC server' },
  ...lifecycleConfig('ENTRY_RELAY'),
});

export type RelayConfig = ConfigValues<typeof relayConfigSpec>;

export function loadRelayConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
  return loadConfig(relayConfigSpec, env);
}
