// Entrypoint: `node dist/main.js`, configured by OPEN_GROUPS_* variables. Prints the join URL of
// every room and shuts down gracefully on SIGTERM/SIGINT.
import { runMain } from '@starling/platform';
import { loadOpenGroupsConfig, openGroupsConfigSpec } from './config';
import { startCommunityServer } from './server';

runMain('open-groups', {
  spec: openGroupsConfigSpec,
  config: () => loadOpenGroupsConfig(),
  start: async (config, logger) => {
    const server = await startCommunityServer(config, { logger });
    logger.info({ address: server.address, opsPort: server.opsPort, pubkey: server.pubkey }, 'community server listening');
    // Join URLs go to stdout on their own lines so that operators and launchers can pick them up.
    for (const [token, url] of Object.entries(await server.joinUrls())) process.stdout.write(`room ${token}: ${url}\n`);
    return server;
  },
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
