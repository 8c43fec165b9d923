// A file server held in memory, reached like the real one through ServerRequests: POST /file and
// GET /file/<id> with the real status codes. Unit tests use it to change stored blobs (tamper,
// truncate) and to see exactly what was uploaded; the whole-network tests use the real server.
import { randomBytes } from 'crypto';
import type { V4Request, V4Response } from '@starling/crypto';
import type { ServerAddress } from '../../src/network/onion-client';
import type { ServerRequests } from '../../src/attachments/file-transfer';

export class MemoryFileServer implements ServerRequests {
  readonly blobs = new Map<string, Uint8Array>();
  readonly requests: { server: ServerAddress; method: string; endpoint: string }[] = [];

  constructor(private readonly maxBytes = 10_000_100) {}

  async serverRequest(server: ServerAddress, request: V4Request): Promise<V4Response> {
    const { method, endpoint } = request.meta;
    this.requests.push({ server, method, endpoint });
    if (method === 'POST' && endpoint === '/file') {
      const body = request.body ?? new Uint8Array(0);
      if (body.length === 0 || body.length > this.maxBytes) return json(413, { status_code: 413 });
      const id = randomBytes(33).toString('base64url');
      this.blobs.set(id, new Uint8Array(body));
      return json(200, { id, uploaded: 1, expires: 2 });
    }
    const get = /^\/file\/([^/]+)$/.exec(endpoint);
    if (method === 'GET' && get) {
      const blob = this.blobs.get(get[1]);
      return blob ? { code: 200, headers: { 'content-type': 'application/octet-stream' }, body: blob } : json(404, { status_code: 404 });
    }
    return json(404, { status_code: 404 });
  }

  /** The one stored blob (tests upload one file at a time). */
  only(): { id: string; blob: Uint8Array } {
    const [entry] = [...this.blobs.entries()];
    if (!entry || this.blobs.size !== 1) throw new Error(`expected one stored blob, have ${this.blobs.size}`);
    return { id: entry[0], blob: entry[1] };
  }
}

function json(code: number, value: unknown): V4Response {
  return { code, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}
