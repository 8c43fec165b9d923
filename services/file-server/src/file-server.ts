// Starts one file server: `createFileServer(config)` for main.ts and the tests. The platform opens
// and migrates the database, binds the edge and the ops listener, and stops it all in order.
import * as path from 'path';
import { toHex } from '@starling/crypto';
import { DATABASE, edgeLimits, lifecycleOptions, startService, type Database, type HealthChecks, type Logger, type ServiceMetrics } from '@starling/platform';
import { checkFileServerConfig, FILE_REQUEST_TIMEOUT_MS, type FileServerConfig } from './config';
import { FileServerModule } from './file-server.module';
import { blobDirOf } from './files/files.module';
import { errorReply } from './http/router';
import { SERVER_IDENTITY, type ServerIdentity } from './onion/server-key';
import { ExpiryJob } from './storage/expiry-job';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export interface FileServerOptions {
  logger?: Logger;
}

export interface FileServer {
  /** Base URL clients use, e.g. http://127.0.0.1:8400 (no trailing slash). */
  url: string;
  host: string;
  port: number;
  /** The cluster-only port of /healthz, /readyz and /metrics. */
  opsPort: number;
  /** The X25519 public key clients encrypt onion requests to, 64 hex characters. */
  publicKeyHex: string;
  /** The Ed25519 public key attachment links carry (`#p=`); absent for a server on its old X25519 key. */
  ed25519PublicKeyHex: string | undefined;
  database: Database;
  /** The blob folder in folder mode. */
  blobDir: string | undefined;
  expiry: ExpiryJob;
  metrics: ServiceMetrics;
  health: HealthChecks;
  /** Readiness fails, the expiry job stops, requests drain, the database closes. */
  close(): Promise<void>;
}

export async function createFileServer(config: FileServerConfig, options: FileServerOptions = {}): Promise<FileServer> {
  checkFileServerConfig(config);
  const service = await startService(
    {
      name: 'file-server',
      logger: options.logger,
      edge: {
        host: config.host,
        port: config.port,
        maxBodyBytes: config.maxBytes,
        ...(config.edge ? edgeLimits(config.edge) : { timeouts: { requestMs: FILE_REQUEST_TIMEOUT_MS } }),
        tooLarge: () => errorReply(413),
      },
      ...lifecycleOptions(config),
      database: {
        url: config.databaseUrl,
        dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
        schema: config.databaseSchema,
        migrations: MIGRATIONS_DIR,
      },
    },
    FileServerModule.forConfig(config),
  );
  const { app, host } = service;
  const edge = host.edge!;
  const database = app.get<Database>(DATABASE, { strict: false });
  const identity = app.get<ServerIdentity>(SERVER_IDENTITY, { strict: false });
  const server: FileServer = {
    url: config.publicUrl?.replace(/\/+$/, '') ?? edge.url,
    host: config.host,
    port: edge.port,
    opsPort: host.ops!.port,
    publicKeyHex: toHex(identity.x25519.publicKey),
    ed25519PublicKeyHex: identity.ed25519PublicKey && toHex(identity.ed25519PublicKey),
    database,
    blobDir: blobDirOf(config),
    expiry: app.get(ExpiryJob, { strict: false }),
    metrics: host.metrics,
    health: host.health,
    close: service.close,
  };
  host.logger.info({ url: server.url, pubkey: server.ed25519PublicKeyHex, x25519: server.publicKeyHex, opsPort: server.opsPort, blobStore: config.blobStore, database: database.kind }, 'file server listening');
  return server;
}
