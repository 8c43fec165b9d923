// Builds and starts one file server: storage (migrations, blob store), the server key, the
// dispatcher, the HTTP app, ops routes and the expiry job. main.ts, the tests and the local
// network launcher all start it through createFileServer.
import 'reflect-metadata';
import type { Server } from 'http';
import type { AddressInfo } from 'net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as path from 'path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ready, toHex } from '@starling/crypto';
import {
  createLogger,
  createMetrics,
  HealthChecks,
  instrumentFastify,
  migrate,
  mountOpsRoutes,
  openDatabase,
  type Database,
  type Logger,
  type ServiceMetrics,
} from '@starling/platform';
import { FileServerModule } from './app.module';
import { checkFileServerConfig, type FileServerConfig } from './config';
import { errorResponse, FileRoutes } from './files/file-routes';
import { sendJson } from './http/send-response';
import { FileServerMetrics } from './metrics';
import { OnionHandler } from './onion/onion-handler';
import { loadServerKey } from './onion/server-key';
import type { BlobStore } from './storage/blob-store';
import { DbBlobStore } from './storage/db-blob-store';
import { ExpiryJob } from './storage/expiry-job';
import { FileStore } from './storage/file-store';
import { FolderBlobStore } from './storage/folder-blob-store';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export interface FileServerOptions {
  /** Use this open database instead of opening one from the config; close() leaves it open. */
  database?: Database;
  logger?: Logger;
  metrics?: ServiceMetrics;
}

export interface FileServer {
  /** Base URL clients use, e.g. http://127.0.0.1:8400 (no trailing slash). */
  url: string;
  host: string;
  port: number;
  /** The X25519 public key clients encrypt onion requests to, 64 hex characters. */
  publicKeyHex: string;
  database: Database;
  /** The blob folder in folder mode. */
  blobDir: string | undefined;
  expiry: ExpiryJob;
  metrics: ServiceMetrics;
  health: HealthChecks;
  /** Stops accepting, drains requests, stops the expiry job, closes the database it opened. */
  close(): Promise<void>;
}

export async function createFileServer(config: FileServerConfig, options: FileServerOptions = {}): Promise<FileServer> {
  checkFileServerConfig(config);
  await ready();
  const log = options.logger ?? createLogger('file-server');
  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
      schema: config.databaseSchema,
    }));
  const cleanups: (() => Promise<unknown>)[] = ownsDatabase ? [() => database.close()] : [];
  try {
    await migrate(database, MIGRATIONS_DIR);
    const blobDir = config.blobStore === 'folder' ? (config.blobDir ?? path.join(config.dataDir, 'blobs')) : undefined;
    const blobs = await openBlobStore(blobDir);
    const serverKey = loadServerKey(config.dataDir, config.x25519SecretKeyHex);
    const metrics = options.metrics ?? createMetrics('file-server');
    const fileMetrics = new FileServerMetrics(metrics);

    const store = new FileStore(database, blobs, config.maxBytes);
    const routes = new FileRoutes(store, config, fileMetrics, log);
    const onion = new OnionHandler(serverKey, routes, fileMetrics, log);
    const expiry = new ExpiryJob(store, blobs, fileMetrics, log, config.cleanupIntervalMs);

    const health = new HealthChecks();
    health.addLiveness('process', () => true);
    health.addReadiness('database', () => database.query('SELECT 1'));

    const app = await NestFactory.create<NestFastifyApplication>(
      FileServerModule.register({ routes, onion, log }),
      new FastifyAdapter({
        logger: false,
        return503OnClosing: true,
        // A path Fastify cannot even decode matches no route: the API's 404, not Fastify's JSON.
        frameworkErrors: (_err: Error, _req: FastifyRequest, reply: FastifyReply) => void sendJson(reply, errorResponse(404)),
      }),
      { bodyParser: false, logger: ['error', 'warn'] },
    );
    cleanups.unshift(() => closeHttp(app));
    const fastify = app.getHttpAdapter().getInstance();
    // Bodies are read by the handlers themselves, as streams: uploads are counted while they
    // arrive, and no content type (JSON included) is parsed on the way.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_req, _payload, done) => done(null));
    mountOpsRoutes(fastify, { health, metrics });
    instrumentFastify(fastify, metrics);

    await app.listen({ host: config.host, port: config.port });
    const address = app.getHttpServer().address() as AddressInfo;
    const url = config.publicUrl?.replace(/\/+$/, '') ?? `http://${urlHost(address)}:${address.port}`;
    const publicKeyHex = toHex(serverKey.publicKey);

    await expiry.runOnce();
    expiry.start();
    cleanups.unshift(() => expiry.stop());
    log.info({ url, pubkey: publicKeyHex, blobStore: config.blobStore, database: database.kind }, 'file server listening');

    let closing: Promise<void> | undefined;
    return {
      url,
      host: address.address,
      port: address.port,
      publicKeyHex,
      database,
      blobDir,
      expiry,
      metrics,
      health,
      close: () =>
        (closing ??= (async () => {
          health.markShuttingDown();
          await runCleanups(cleanups);
        })()),
    };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

/** In-flight requests get this long to finish on close; then their connections are cut. */
const DRAIN_MS = 5_000;

async function closeHttp(app: NestFastifyApplication): Promise<void> {
  const server = app.getHttpServer() as Server;
  const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

async function openBlobStore(blobDir: string | undefined): Promise<BlobStore> {
  if (blobDir === undefined) return new DbBlobStore();
  const folder = new FolderBlobStore(blobDir);
  await folder.init();
  return folder;
}

async function runCleanups(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}

function urlHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0' || address.address === '::') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
