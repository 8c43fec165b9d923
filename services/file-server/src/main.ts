// Entrypoint: configuration from the environment, one file server, graceful stop on SIGTERM.
import { answerHelp, ConfigError, createLogger, installSignalHandlers, onShutdown } from '@starling/platform';
import { FILE_SERVER_CONFIG, fileServerConfigFromEnv, FileServerConfigError } from './config';
import { createFileServer } from './file-server';

answerHelp(FILE_SERVER_CONFIG);

async function main(): Promise<void> {
  const log = createLogger('file-server');
  let config;
  try {
    config = fileServerConfigFromEnv();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof FileServerConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  installSignalHandlers(log);
  const server = await createFileServer(config, { logger: log });
  onShutdown('file-server', () => server.close());
  // One plain line for people and launchers: where to reach the server and the key to encrypt to.
  console.log(`file-server url=${server.url} pubkey=${server.publicKeyHex}`);
}

main().catch((err) => {
  console.error('file-server failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
