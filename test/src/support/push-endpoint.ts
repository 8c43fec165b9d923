// A UnifiedPush endpoint (or a bot's webhook) on loopback for whole-network tests and benchmarks:
// records every POST with when it arrived, answers 201 as the spec says, and counts the bodies per
// path. Keep-alive, so that a delivery loop measures the push server and not connection setup.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ReceivedPush {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when the body was complete. */
  atMs: number;
}

export interface PushEndpoint {
  /** http://127.0.0.1:<port> */
  origin: string;
  received: ReceivedPush[];
  /** Called for every POST as it arrives (benchmarks match notices to stores). */
  onPush?: (push: ReceivedPush) => void;
  close(): Promise<void>;
}

export async function startPushEndpoint(): Promise<PushEndpoint> {
  const endpoint: PushEndpoint = { origin: '', received: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const push = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks), atMs: performance.now() };
      endpoint.received.push(push);
      endpoint.onPush?.(push);
      res.writeHead(201, { 'content-length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  endpoint.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return endpoint;
}
