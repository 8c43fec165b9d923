// Starts one relay: `startRelay(config)` for main.ts, the tests and the local network launcher.
import { toHex } from '@starling/crypto';
import { edgeLimits, edgeTls, startService, type Logger } from '@starling/platform';
import { GrpcHost } from '@starling/proto';
import { MAX_ONION_BYTES, nodeNotFound, NODE_KEYS, type NodeKeys } from '@starling/service-node';
import type { RelayConfig } from './config';
import { RelayModule } from './relay.module';

export interface RunningRelay {
  httpPort: number;
  grpcPort: number;
  opsPort: number;
  pubkeyEd25519: string;
  pubkeyX25519: string;
  close(): Promise<void>;
}

export async function startRelay(config: RelayConfig, logger?: Logger): Promise<RunningRelay> {
  const service = await startService(
    {
      name: 'entry-relay',
      logger,
      edge: {
        host: config.host,
        port: config.httpPort,
        tls: await edgeTls(config, config.dataDir, 'Starling relay'),
        maxBodyBytes: MAX_ONION_BYTES,
        ...edgeLimits(config),
        notFound: nodeNotFound,
        methodNotAllowed: nodeNotFound,
      },
      ops: { host: config.host, port: config.opsPort },
      drain: { delayMs: config.drainDelay, graceMs: config.shutdownGrace },
      sharedState: { url: config.redisUrl, keyPrefix: 'entry-relay:' },
    },
    RelayModule.forConfig(config),
  );
  const keys = service.app.get<NodeKeys>(NODE_KEYS, { strict: false });
  const running: RunningRelay = {
    httpPort: service.host.edge!.port,
    grpcPort: service.app.get(GrpcHost, { strict: false }).port,
    opsPort: service.host.ops!.port,
    pubkeyEd25519: toHex(keys.ed25519.publicKey),
    pubkeyX25519: toHex(keys.x25519.publicKey),
    close: service.close,
  };
  service.host.logger.info({ httpPort: running.httpPort, grpcPort: running.grpcPort, opsPort: running.opsPort, pubkeyEd25519: running.pubkeyEd25519 }, 'entry relay listening');
  return running;
}
