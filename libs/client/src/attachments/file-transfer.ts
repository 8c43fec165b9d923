// Upload and download of encrypted blobs (client.md 5.3): one onion v4 request each, to the file
// server behind the exit relay. Independent of messages, so communities can reuse it.
import { ClientError } from '../network/errors';
import { serverRequest, type ServerRequests } from '../network/known-server';
import type { FileServer } from './file-server';
import { fileUrl } from './file-location';

export type { ServerRequests } from '../network/known-server';

/** Session clients give file transfers 30 s (client.md 5.3). */
export const FILE_REQUEST_TIMEOUT_MS = 30_000;

export interface UploadedFile {
  id: string;
  /** The URL that goes into the attachment pointer. */
  url: string;
  /** Unix seconds when the server drops the file, when it said. */
  expires?: number;
}

export async function uploadBlob(requests: ServerRequests, server: FileServer, blob: Uint8Array): Promise<UploadedFile> {
  const response = await serverRequest(
    requests,
    server,
    { meta: { method: 'POST', endpoint: '/file', headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment' } }, body: blob },
    FILE_REQUEST_TIMEOUT_MS,
  );
  if (response.code === 413) throw new ClientError(`the file server refused the upload of ${blob.length} encrypted bytes as too large (413)`, 'refused');
  if (response.code !== 200) throw new ClientError(`the file server refused the upload: ${response.code} ${snippet(response.body)}`, 'refused');
  let reply: { id?: unknown; expires?: unknown };
  try {
    reply = JSON.parse(Buffer.from(response.body).toString('utf8'));
  } catch {
    throw new ClientError('the file server answered the upload with something that is not JSON');
  }
  const id = typeof reply?.id === 'number' ? String(reply.id) : reply?.id;
  if (typeof id !== 'string') throw new ClientError('the file server answered the upload without a file id');
  return { id, url: fileUrl(server, id), expires: typeof reply.expires === 'number' ? reply.expires : undefined };
}

export async function downloadBlob(requests: ServerRequests, server: FileServer, id: string): Promise<Uint8Array> {
  const response = await serverRequest(requests, server, { meta: { method: 'GET', endpoint: `/file/${encodeURIComponent(id)}`, headers: {} } }, FILE_REQUEST_TIMEOUT_MS);
  if (response.code === 404) throw new ClientError('the file is not on the file server (expired or never uploaded)', 'not_found');
  if (response.code !== 200) throw new ClientError(`the file server refused the download: ${response.code} ${snippet(response.body)}`, 'refused');
  return response.body;
}

function snippet(body: Uint8Array): string {
  return Buffer.from(body.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ');
}
