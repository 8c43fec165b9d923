// Entrypoint: `node dist/main.js`. Reads OPEN_GROUPS_* settings, starts the server, prints the
// join URL of every room, and shuts down gracefully on SIGTERM/SIGINT.
import { answerHelp, createLogger, installSignalHandlers, onShutdown } from '@starling/platform';
import { loadOpenGroupsConfig, openGroupsConfigSpec } from './config';
import { createCommunityServer } from './server';

answerHelp(openGroupsConfigSpec);

async function main(): Promise<void> {
  const logger = createLogger('open-groups');
  const config = loadOpenGroupsConfig();
  const server = await createCommunityServer({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
    redisUrl: config.redisUrl,
    rooms: config.rooms.split(',').map((t) => t.trim()).filter(Boolean),
    baseUrl: config.baseUrl,
    serverKeyHex: config.serverKeyHex,
    requireBlinding: config.requireBlinding,
    fileExpiryDays: config.fileExpiryDays,
    maxFileBytes: config.maxFileBytes,
    dmExpiryDays: config.dmExpiryDays,
    cleanupIntervalMs: config.cleanupInterval,
    logger,
  });
  onShutdown('open-groups', () => server.close());
  installSignalHandlers(logger);
  logger.info({ address: server.address, pubkey: server.pubkey }, 'community server listening');
  // Join URLs go to stdout on their own lines so that operators and launchers can pick them up.
  for (const [token, url] of Object.entries(await server.joinUrls())) {
    process.stdout.write(`room ${token}: ${url}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`open-groups failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
