// Entrypoint: `node services/swarm-store/dist/main.js`, configured by SWARM_STORE_* variables
// (config.ts); SIGTERM drains and flushes every acknowledged write before exit.
import { runMain } from '@starling/platform';
import { loadSwarmStoreConfig, swarmStoreConfigSpec } from './config';
import { startSwarmStoreNode } from './swarm-store';

runMain('swarm-store', {
  spec: swarmStoreConfigSpec,
  config: () => loadSwarmStoreConfig(),
  start: async (config, logger) => {
    const node = await startSwarmStoreNode(config, logger);
    return { close: node.stop };
  },
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 10_000,
});
