// Entry point: `node services/registry/dist/main.js`. Settings come from the environment
// (see config.ts, or run with --help).
import { createLogger, describeConfig, installSignalHandlers, onShutdown } from '@starling/platform';
import { loadRegistryConfig, registryConfigSpec } from './config';
import { startRegistry } from './registry-app';

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(`Starling registry. Environment:\n${describeConfig(registryConfigSpec)}`);
    return;
  }
  const logger = createLogger('registry');
  installSignalHandlers(logger);
  const config = loadRegistryConfig();
  const registry = await startRegistry(config, logger);
  onShutdown('registry', () => registry.close());
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
