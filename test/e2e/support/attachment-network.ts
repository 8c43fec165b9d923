// The local network the attachment tests need: the devnet launcher's registry and storage nodes,
// plus four entry relays (onion paths) and a file server they may proxy to. The file server
// keeps blobs as files (folder mode) so a test can look at exactly what it stores. Once the
// launcher starts relays and the file server itself, this becomes a call with its options.
import { mkdirSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { toHex, x25519PublicKeyFromSecret } from '@starling/crypto';
import { openDatabase, uniqueName } from '@starling/platform';
import { startDevnet, type Devnet, type ServiceSpec } from '../../src/devnet';

/** Largest upload the file server takes: a 10,000,000-byte file plus legacy encryption overhead. */
export const FILE_SERVER_MAX_BYTES = 10_223_616;

export interface AttachmentNetwork {
  devnet: Devnet;
  seedUrl: string;
  fileServer: { url: string; x25519: string; dataDir: string; blobDir: string };
  stop(): Promise<void>;
}

/**
 * Four relays: a client builds two paths whose guards are distinct and whose other hops are not
 * guards, so three relays give no path at all and four give one 3-hop path.
 */
export async function startAttachmentNetwork(relays = 4): Promise<AttachmentNetwork> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'starling-attachments-net-'));
  const secret = randomBytes(32);
  const x25519 = toHex(x25519PublicKeyFromSecret(secret));
  const fsDataDir = path.join(dataDir, 'file-server');
  // The file server creates its subfolders but not the data folder itself.
  mkdirSync(fsDataDir, { recursive: true });
  let fsPort = 0;
  const schemaPrefix = uniqueName('att');
  const devnet = await startDevnet({
    dataDir,
    storeNodes: 3,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    schemaPrefix,
    extraServices: async (net) => {
      fsPort = await net.freePort();
      const specs: ServiceSpec[] = [
        {
          name: 'file-server',
          service: 'file-server',
          role: 'file server',
          httpPort: fsPort,
          env: {
            FILE_SERVER_HOST: '127.0.0.1',
            FILE_SERVER_PORT: String(fsPort),
            FILE_SERVER_DATA_DIR: fsDataDir,
            FILE_SERVER_BLOB_STORE: 'folder',
            FILE_SERVER_MAX_BYTES: String(FILE_SERVER_MAX_BYTES),
            FILE_SERVER_X25519_KEY: secret.toString('hex'),
            ...net.databaseEnv('FILE_SERVER_DB_SCHEMA', 'file-server'),
          },
        },
      ];
      for (let i = 1; i <= relays; i++) {
        const [httpPort, grpcPort] = [await net.freePort(), await net.freePort()];
        specs.push({
          name: `relay-${i}`,
          service: 'entry-relay',
          role: 'entry relay',
          httpPort,
          grpcPort,
          env: {
            ENTRY_RELAY_HOST: '127.0.0.1',
            ENTRY_RELAY_HTTP_PORT: String(httpPort),
            ENTRY_RELAY_GRPC_PORT: String(grpcPort),
            ENTRY_RELAY_DATA_DIR: path.join(net.dataDir, `relay-${i}`),
            REGISTRY_GRPC_ADDRESS: net.registryGrpcAddress,
            REGISTRY_PUBKEY: net.registryPubkey,
            ENTRY_RELAY_PROXY_ALLOW: `127.0.0.1:${fsPort}`,
          },
        });
      }
      return specs;
    },
  });
  return {
    devnet,
    seedUrl: devnet.seedUrl,
    fileServer: { url: `http://127.0.0.1:${fsPort}`, x25519, dataDir: fsDataDir, blobDir: path.join(fsDataDir, 'blobs') },
    async stop() {
      await devnet.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchemas(schemaPrefix);
    },
  };
}

/** On PostgreSQL every process had its own `<prefix>_<name>` schema; remove them all. */
async function dropSchemas(prefix: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const db = await openDatabase({ url });
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}\\_%`]);
    for (const { name } of rows) await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await db.close();
  }
}
