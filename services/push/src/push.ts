// Starts one push service: `startPush(config)` for main.ts, the tests and the local network
// launcher. The platform opens and migrates the database, opens the shared state, binds the edge
// and the ops listener, and stops it all in order.
import * as path from 'path';
import { toHex, type Identity } from '@starling/crypto';
import { edgeLimits, lifecycleOptions, startService, type Logger } from '@starling/platform';
import { checkPushConfig, type PushConfig } from './config';
import { PUSH_MIGRATIONS_DIR } from './subscriptions/migrations';
import { MAX_REQUEST_BYTES } from './subscriptions/push-api';
import { PushModule } from './push.module';
import { PUSH_KEYS } from './tokens';

export interface RunningPush {
  /** Base URL clients use (no trailing slash). */
  url: string;
  port: number;
  /** The cluster-only port of /healthz, /readyz and /metrics. */
  opsPort: number;
  /** Hex Ed25519 key of the server's identity. */
  pubkeyEd25519: string;
  /** Hex X25519 key onion requests are encrypted to (derived from the Ed25519 key). */
  pubkeyX25519: string;
  close(): Promise<void>;
}

export async function startPush(config: PushConfig, logger?: Logger): Promise<RunningPush> {
  checkPushConfig(config);
  const service = await startService(
    {
      name: 'push',
      logger,
      // Routes set their own caps; this one is for requests no route serves.
      edge: { host: config.host, port: config.port, maxBodyBytes: MAX_REQUEST_BYTES, ...(config.edge ? edgeLimits(config.edge) : {}) },
      ...lifecycleOptions(config),
      database: {
        url: config.databaseUrl,
        dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
        schema: config.databaseSchema,
        migrations: PUSH_MIGRATIONS_DIR,
      },
      sharedState: { url: config.redisUrl, keyPrefix: 'push:' },
    },
    PushModule.forConfig(config),
  );
  const { app, host } = service;
  const keys = app.get<Identity>(PUSH_KEYS, { strict: false });
  const edge = host.edge!;
  const running: RunningPush = {
    url: config.publicUrl?.replace(/\/+$/, '') ?? edge.url,
    port: edge.port,
    opsPort: host.ops!.port,
    pubkeyEd25519: toHex(keys.ed25519.publicKey),
    pubkeyX25519: toHex(keys.x25519.publicKey),
    close: service.close,
  };
  host.logger.info({ url: running.url, pubkeyX25519: running.pubkeyX25519, opsPort: running.opsPort, providers: providerNames(config) }, 'push service listening');
  return running;
}

function providerNames(config: PushConfig): string[] {
  return [config.unifiedPush && 'unifiedpush', config.fcm && 'firebase', config.apns && 'apns'].filter((p): p is string => typeof p === 'string');
}
