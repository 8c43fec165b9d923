// The local network the attachment tests need: registry, storage nodes, relays and a file server
// that keeps blobs as files (folder mode), so a test can look at exactly what it stores.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { uniqueName } from '@starling/platform';
import { dropDevnetSchemas, edgeServices, startDevnet, type Devnet, type EdgeDirectory } from '../../src/devnet';

export interface AttachmentNetwork {
  devnet: Devnet;
  seedUrl: string;
  /** `key`: the Ed25519 key links carry; `x25519`: the onion key derived from it. */
  fileServer: { url: string; key: string; x25519: string; dataDir: string; blobDir: string };
  stop(): Promise<void>;
}

/** Four relays: two paths of three, with distinct guards sharing the two other relays. */
export async function startAttachmentNetwork(relays = 4): Promise<AttachmentNetwork> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'starling-attachments-net-'));
  const schemaPrefix = uniqueName('att');
  const edge: EdgeDirectory = {};
  const devnet = await startDevnet({
    dataDir,
    storeNodes: 3,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    schemaPrefix,
    // Blobs as files (folder mode), so a test can look at exactly what the server stores.
    extraServices: edgeServices({ relays, community: false, fileServerEnv: { FILE_SERVER_BLOB_STORE: 'folder' } }, edge),
  });
  const fsDataDir = path.join(dataDir, 'file-server');
  return {
    devnet,
    seedUrl: devnet.seedUrl,
    fileServer: { url: edge.fileServer!.url, key: edge.fileServer!.pubkey, x25519: edge.fileServer!.x25519, dataDir: fsDataDir, blobDir: path.join(fsDataDir, 'blobs') },
    async stop() {
      await devnet.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await dropDevnetSchemas(process.env.DATABASE_URL, schemaPrefix);
    },
  };
}
