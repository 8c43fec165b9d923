// What the attachment tests need of the shared network: its seed and its file server, which keeps
// blobs as files (folder mode), so a test can look at exactly what it stores.
import * as path from 'path';
import { sharedNetwork } from './shared-network';

export interface AttachmentNetwork {
  seedUrl: string;
  /** `key`: the Ed25519 key links carry; `x25519`: the onion key derived from it. */
  fileServer: { url: string; key: string; x25519: string; dataDir: string; blobDir: string };
}

export async function attachmentNetwork(): Promise<AttachmentNetwork> {
  const net = await sharedNetwork();
  const fileServer = net.edge.fileServer!;
  const dataDir = net.service('file-server').env.FILE_SERVER_DATA_DIR!;
  return {
    seedUrl: net.seedUrl,
    fileServer: { url: fileServer.url, key: fileServer.pubkey, x25519: fileServer.x25519, dataDir, blobDir: path.join(dataDir, 'blobs') },
  };
}
