// Entry point: `node services/entry-relay/dist/main.js`, configured by ENTRY_RELAY_* variables.
import { ConfigError, createLogger, installSignalHandlers, onShutdown } from '@starling/platform';
import { loadRelayConfig } from './config';
import { startRelay } from './relay-server';

async function main(): Promise<void> {
  const logger = createLogger('entry-relay');
  installSignalHandlers(logger);
  try {
    const relay = await startRelay(loadRelayConfig(), logger);
    onShutdown('entry-relay', () => relay.close());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`entry-relay: ${err.message}\n`);
      process.exit(2);
    }
    logger.fatal({ err: (err as Error).message }, 'entry relay failed to start');
    process.exit(1);
  }
}

void main();
