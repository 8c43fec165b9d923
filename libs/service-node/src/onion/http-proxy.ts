// The exit node's POST to a file or community server: only to servers on the allow-list, only
// to /loki|oxen/.../lsrpc targets (checked by the caller), with a deadline and a response cap.
// The server's status and body go back untouched: the server encrypted them itself.
// Requests go through an undici Agent (a keep-alive pool per server) rather than global fetch:
// fetch's WHATWG Request/Response/stream layers cost an exit relay more CPU than the rest of
// the hop together.
import { Agent, type Dispatcher } from 'undici';
import { bytesReply } from '@starling/platform';
import { pathError, type HopReply } from './hop-reply';

export interface ProxyTarget {
  protocol: string;
  host: string;
  port: number;
  target: string;
}

/** Idle connections to a server are kept this long for the next request through this node. */
const KEEP_ALIVE_MS = 10_000;

export class HttpProxy {
  private readonly allowAny: boolean;
  private readonly allowed: Set<string>;
  private readonly agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS });

  constructor(
    allowList: string,
    private readonly timeoutMs: number,
    private readonly maxResponseBytes: number,
  ) {
    const entries = allowList.split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
    this.allowAny = entries.includes('*');
    this.allowed = new Set(entries);
  }

  isAllowed({ host, port }: ProxyTarget): boolean {
    return this.allowAny || this.allowed.has(`${host.toLowerCase()}:${port}`);
  }

  async post(to: ProxyTarget, body: Uint8Array): Promise<HopReply> {
    const defaultPort = to.protocol === 'https' ? 443 : 80;
    const origin = `${to.protocol}://${to.host}${to.port === defaultPort ? '' : `:${to.port}`}`;
    // One deadline for the whole exchange, answer body included.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin,
        path: to.target,
        method: 'POST',
        body,
        headers: { 'content-type': 'application/octet-stream' },
        signal,
      });
    } catch {
      if (signal.aborted) return pathError(504, 'Request time out', 'timeout');
      return pathError(502, `Proxy request failed: ${to.host}`, 'upstream_error');
    }
    try {
      const reply = await this.readCapped(response);
      const contentType = firstHeader(response.headers['content-type']) ?? 'application/octet-stream';
      return { ...bytesReply(response.statusCode, contentType, reply), outcome: 'proxied' };
    } catch (err) {
      if (signal.aborted) return pathError(504, 'Request time out', 'timeout');
      return pathError(502, (err as Error).message, 'upstream_error');
    }
  }

  /** Closes the kept-alive connections when the node stops. */
  onApplicationShutdown(): Promise<void> {
    return this.agent.close();
  }

  private async readCapped(response: Dispatcher.ResponseData): Promise<Uint8Array> {
    const declared = Number(firstHeader(response.headers['content-length']) ?? '0');
    if (declared > this.maxResponseBytes) {
      response.body.destroy();
      throw new Error('Proxy response too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > this.maxResponseBytes) {
        response.body.destroy();
        throw new Error('Proxy response too large');
      }
      chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
