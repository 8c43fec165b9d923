// Attachment URLs (sogs-fileserver.md 5.2): <file server>/file/<id>, with `#p=<64 hex>` naming
// the server's key because ours is never the default Session server: its Ed25519 key, as Session
// apps write and read it (older links of ours carry the X25519 key; file-server.ts reads both),
// so a receiver with no file server configured can still fetch through an onion path.
import { ClientError } from '../network/errors';
import { FileServer, parseFileServer } from './file-server';

const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface FileLocation {
  server: FileServer;
  id: string;
}

export function fileUrl(server: FileServer, id: string): string {
  if (!FILE_ID.test(id)) throw new ClientError(`the file server returned an unusable file id "${id.slice(0, 80)}"`);
  return `${server.url}/file/${id}#p=${server.key}`;
}

/**
 * Where a pointer's URL points: the file id, and the server with its key from `#p=`, or from the
 * configured server when the URL is on it. A URL naming neither is refused (no key to encrypt to).
 */
export function locateFile(url: string, configured?: FileServer): FileLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError('the attachment URL is not a URL', 'input');
  }
  // Legacy clients still send /files/<id>; the server answers both on /file/<id>.
  const match = /^\/files?\/([^/]+)$/.exec(parsed.pathname);
  if (!match || !FILE_ID.test(match[1])) throw new ClientError('the attachment URL does not name a file on a file server', 'input');
  const base = `${parsed.protocol}//${parsed.host}`;
  const fragment = new URLSearchParams(parsed.hash.replace(/^#/, ''));
  if (fragment.has('d')) throw new ClientError('the attachment uses deterministic encryption, which this client cannot open yet', 'input');
  const key = fragment.get('p') ?? (configured && new URL(configured.url).origin === parsed.origin ? configured.key : undefined);
  if (!key) throw new ClientError(`the attachment is on ${base}, whose key is unknown: configure it with --file-server and --file-server-key`, 'input');
  return { server: parseFileServer(base, key), id: match[1] };
}
