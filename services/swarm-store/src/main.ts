// Entrypoint: `node services/swarm-store/dist/main.js`. Configuration from the environment (see
// config.ts); SIGTERM drains and flushes before exit.
import { createLogger, installSignalHandlers, onShutdown } from '@starling/platform';
import { loadSwarmStoreConfig } from './config';
import { startSwarmStoreNode } from './swarm-store-node';

async function main(): Promise<void> {
  const logger = createLogger('swarm-store');
  // A bug must leave a trace before the process goes down.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  const config = loadSwarmStoreConfig();
  const node = await startSwarmStoreNode(config, logger);
  onShutdown('swarm-store node', () => node.stop());
  installSignalHandlers(logger, { deadlineMs: config.shutdownGrace + 10_000 });
}

main().catch((err) => {
  // Config errors list every problem; print them as they are.
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
