// The only direct (non-onion) requests a client makes: the seed node list and the guard test.
import { ClientError } from './errors';

export interface HttpReply {
  status: number;
  contentType: string;
  body: Buffer;
}

export async function postBytes(url: string, body: Uint8Array | string, timeoutMs: number, what: string): Promise<HttpReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      // Look like any other client: nothing that identifies this software or its version.
      headers: { 'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'connection failed';
    throw new ClientError(`cannot reach ${what}: ${reason}`);
  }
}
