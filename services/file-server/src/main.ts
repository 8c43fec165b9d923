// Entry point: `node services/file-server/dist/main.js`, configured by FILE_SERVER_* variables.
import { runMain } from '@starling/platform';
import { fileServerConfigFromEnv, fileServerConfigSpec } from './config';
import { createFileServer } from './file-server';

runMain('file-server', {
  spec: fileServerConfigSpec,
  config: () => fileServerConfigFromEnv(),
  start: async (config, logger) => {
    const server = await createFileServer(config, { logger });
    // One plain line for people and launchers: where to reach the server, the key links carry
    // (`#p=`, Ed25519) and the X25519 key onion requests are encrypted to.
    console.log(`file-server url=${server.url} pubkey=${server.ed25519PublicKeyHex ?? '-'} x25519=${server.publicKeyHex}`);
    return server;
  },
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
