// Entry point: `node services/push/dist/main.js`, configured by PUSH_* variables.
import { runMain } from '@starling/platform';
import { PUSH_CONFIG, pushConfigFromEnv } from './config';
import { startPush } from './push';

runMain('push', {
  spec: PUSH_CONFIG,
  config: () => pushConfigFromEnv(),
  start: async (config, logger) => {
    const push = await startPush(config, logger);
    // One plain line for people and launchers: where to reach the server and its keys (Ed25519, as
    // clients are given it, and the X25519 key onion requests are encrypted to).
    console.log(`push url=${push.url} pubkey=${push.pubkeyEd25519} x25519=${push.pubkeyX25519}`);
    return push;
  },
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
