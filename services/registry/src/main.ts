// Entry point: `node services/registry/dist/main.js`. Settings come from the environment
// (see config.ts, or run with --help).
import { runMain } from '@starling/platform';
import { loadRegistryConfig, registryConfigSpec } from './config';
import { startRegistry } from './registry';

runMain('registry', {
  spec: registryConfigSpec,
  config: () => loadRegistryConfig(),
  start: (config, logger) => startRegistry(config, logger),
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
