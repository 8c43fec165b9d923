// The exit relay's POST to a file or community server: only to servers on the allow-list, only
// to /loki|oxen/.../lsrpc targets (checked by the caller), with a deadline and a response cap.
// The server's status and body go back untouched: the server encrypted them itself.
import { HopOutcome, pathError } from './hop-outcome';

export interface ProxyTarget {
  protocol: string;
  host: string;
  port: number;
  target: string;
}

export class HttpProxy {
  private readonly allowAny: boolean;
  private readonly allowed: Set<string>;

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

  async post(to: ProxyTarget, body: Uint8Array): Promise<HopOutcome> {
    const defaultPort = to.protocol === 'https' ? 443 : 80;
    const url = `${to.protocol}://${to.host}${to.port === defaultPort ? '' : `:${to.port}`}${to.target}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        headers: { 'content-type': 'application/octet-stream' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') return pathError(504, 'Request time out', 'timeout');
      return pathError(502, `Proxy request failed: ${to.host}`, 'upstream_error');
    }
    try {
      const reply = await this.readCapped(response);
      return {
        status: response.status,
        body: reply,
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        outcome: 'proxied',
      };
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') return pathError(504, 'Request time out', 'timeout');
      return pathError(502, (err as Error).message, 'upstream_error');
    }
  }

  private async readCapped(response: Response): Promise<Uint8Array> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw new Error('Proxy response too large');
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (!response.body) return new Uint8Array(0);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > this.maxResponseBytes) throw new Error('Proxy response too large');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}
