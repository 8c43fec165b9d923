// Entry point: `node services/entry-relay/dist/main.js`, configured by ENTRY_RELAY_* variables.
import { runMain } from '@starling/platform';
import { loadRelayConfig, relayConfigSpec } from './config';
import { startRelay } from './relay';

runMain('entry-relay', {
  spec: relayConfigSpec,
  config: () => loadRelayConfig(),
  start: (config, logger) => startRelay(config, logger),
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
