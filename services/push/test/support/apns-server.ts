// APNs on loopback: HTTP/2 over TLS with a self-signed certificate for 127.0.0.1. Every request
// must carry a provider token (ES256 under the team's key, kid and iss as configured); the
// server records requests and answers what the test scripts (200 with an apns-id by default).
import { generateKeyPairSync, randomUUID } from 'crypto';
import * as http2 from 'http2';
import type { AddressInfo } from 'net';
import jwt from 'jsonwebtoken';
import selfsigned from 'selfsigned';
import { headerRecord, type RecordedRequest, type Responder } from './recorded-request';

export interface ApnsServer {
  origin: string;
  /** PEM of the server certificate, to trust. */
  ca: string;
  keyPem: string;
  keyId: string;
  teamId: string;
  topic: string;
  received: RecordedRequest[];
  /** Provider tokens seen, in order. */
  bearers: string[];
  /** HTTP/2 sessions opened by clients. */
  sessions: number;
  respond: Responder;
  close(): Promise<void>;
}

export async function startApnsServer(): Promise<ApnsServer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    days: 1,
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  } as never);
  const apns = {
    ca: pems.cert,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyId: 'ABC123DEFG',
    teamId: 'DEF123GHIJ',
    topic: 'org.starling.messenger',
    received: [],
    bearers: [],
    sessions: 0,
    respond: () => ({ status: 200 }),
  } as unknown as ApnsServer;
  const server = http2.createSecureServer({ key: pems.private, cert: pems.cert });
  server.on('session', () => apns.sessions++);
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', async () => {
      const recorded = {
        method: String(headers[':method']),
        path: String(headers[':path']),
        headers: headerRecord(headers as Record<string, string | string[] | undefined>),
        body: Buffer.concat(chunks),
      };
      apns.received.push(recorded);
      const bearer = /^bearer (.+)$/.exec(recorded.headers.authorization ?? '')?.[1] ?? '';
      apns.bearers.push(bearer);
      const reply = (status: number, body?: string, extra: Record<string, string> = {}) => {
        if (stream.destroyed) return;
        stream.respond({ ':status': status, 'apns-id': randomUUID(), ...extra });
        stream.end(body ?? '');
      };
      try {
        const decoded = jwt.verify(bearer, publicKey, { algorithms: ['ES256'], issuer: apns.teamId, complete: true });
        if (decoded.header.kid !== apns.keyId) throw new Error('kid');
      } catch {
        return reply(403, JSON.stringify({ reason: 'InvalidProviderToken' }));
      }
      const answer = await apns.respond(recorded);
      reply(answer.status, answer.body, answer.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apns.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  apns.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return apns;
}
