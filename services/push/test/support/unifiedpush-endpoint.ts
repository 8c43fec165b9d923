// A UnifiedPush push server (or a bot's webhook) on loopback: records every POST and answers what
// the test scripts (201 by default, as the spec says).
import * as http from 'http';
import type { AddressInfo } from 'net';
import { headerRecord, type RecordedRequest, type Responder } from './recorded-request';

export interface UnifiedPushEndpoint {
  /** http://127.0.0.1:<port> */
  origin: string;
  received: RecordedRequest[];
  respond: Responder;
  /** Most requests open at the same time so far. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startUnifiedPushEndpoint(): Promise<UnifiedPushEndpoint> {
  let open = 0;
  const endpoint: UnifiedPushEndpoint = {
    origin: '',
    received: [],
    respond: () => ({ status: 201 }),
    maxConcurrent: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      open++;
      endpoint.maxConcurrent = Math.max(endpoint.maxConcurrent, open);
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: headerRecord(req.headers), body: Buffer.concat(chunks) };
      endpoint.received.push(recorded);
      try {
        const answer = await endpoint.respond(recorded);
        res.writeHead(answer.status, { ttl: '0', ...answer.headers });
        res.end(answer.body ?? '');
      } finally {
        open--;
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = endpoint.close;
  endpoint.close = async () => {
    server.closeAllConnections();
    await close();
  };
  return endpoint;
}
