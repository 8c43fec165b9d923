// Entry point: `node services/push/dist/main.js`, configured by PUSH_* variables.
import { runMain } from '@starling/platform';
import { pushConfigFromEnv } from './config';
import { startPush } from './push';

runMain('push', {
  config: () => pushConfigFromEnv(),
  start: async (config, logger) => {
    const push = await startPush(config, logger);
    // One plain line for people and launchers: where to reach the server and the key to encrypt to.
    console.log(`push url=${push.url} pubkey=${push.pubkeyX25519}`);
    return push;
  },
  shutdownDeadlineMs: (config) => config.drainDelay + config.shutdownGrace + 5_000,
});
