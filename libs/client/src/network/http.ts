// The only direct (non-onion) requests a client makes: the seed node list and the guard test,
// plus the POST of an onion request to its guard.
import * as http from 'http';
import * as https from 'https';
import { ClientError } from './errors';

export interface HttpReply {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface HttpOptions {
  /** Local address to send from (a machine with several addresses; tests use 127.0.0.x). */
  sourceAddress?: string;
}

const MAX_REPLY_BYTES = 16 * 1024 * 1024;

export function postBytes(url: string, body: Uint8Array | string, timeoutMs: number, what: string, options: HttpOptions = {}): Promise<HttpReply> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => reject(new ClientError(`cannot reach ${what}: ${reason}`));
    const request = transport.request(
      target,
      {
        method: 'POST',
        // Look like any other client: nothing that identifies this software or its version.
        headers: {
          'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream',
          'content-length': payload.length,
        },
        localAddress: options.sourceAddress,
        // Nodes use self-signed certificates, as upstream; the onion layers carry the trust.
        rejectUnauthorized: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            request.destroy();
            fail('the reply is too large');
          } else chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body: Buffer.concat(chunks) }),
        );
        response.on('error', () => fail('connection lost'));
      },
    );
    request.on('timeout', () => {
      request.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    });
    request.on('error', () => fail('connection failed'));
    request.end(payload);
  });
}
