// Entry point: `node services/registry/dist/main.js`. Settings come from the environment
// (see config.ts, or run with --help).
import { describeConfig, runMain } from '@starling/platform';
import { loadRegistryConfig, registryConfigSpec } from './config';
import { startRegistry } from './registry';

if (process.argv.includes('--help')) {
  console.log(`Starling registry. Environment:\n${describeConfig(registryConfigSpec)}`);
} else {
  runMain('registry', {
    config: () => loadRegistryConfig(),
    start: (config, logger) => startRegistry(config, logger),
    shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
  });
}
