// FCM HTTP v1 and Google's OAuth2 token endpoint on loopback. The token endpoint checks the
// service-account assertion (RS256 under the account's public key, iss/aud/scope, one hour of
// lifetime) and issues access tokens; messages:send accepts only an issued, unrevoked token and
// answers what the test scripts (200 {"name"} by default).
import { randomBytes, generateKeyPairSync } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import jwt from 'jsonwebtoken';
import { headerRecord, type RecordedRequest, type Responder } from './recorded-request';

export interface FcmServer {
  origin: string;
  tokenUri: string;
  /** Service account JSON as Google issues it, pointing at this server's token endpoint. */
  serviceAccountJson: string;
  projectId: string;
  tokenRequests: RecordedRequest[];
  assertions: jwt.JwtPayload[];
  sends: RecordedRequest[];
  /** Access tokens the server accepts; delete one to make it answer 401. */
  issued: Set<string>;
  respond: Responder;
  /** Answer of the token endpoint, when set (otherwise a new token). */
  tokenFailure?: { status: number; body: string };
  close(): Promise<void>;
}

export async function startFcmServer(): Promise<FcmServer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const projectId = 'starling-push-test';
  const clientEmail = `push@${projectId}.iam.gserviceaccount.com`;
  const fcm = {
    tokenRequests: [],
    assertions: [],
    sends: [],
    issued: new Set<string>(),
    respond: () => ({ status: 200, body: JSON.stringify({ name: `projects/${projectId}/messages/${randomBytes(8).toString('hex')}` }) }),
    projectId,
  } as unknown as FcmServer;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: headerRecord(req.headers), body: Buffer.concat(chunks) };
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (recorded.path === '/token') {
        fcm.tokenRequests.push(recorded);
        if (fcm.tokenFailure) return reply(fcm.tokenFailure.status, fcm.tokenFailure.body);
        const form = new URLSearchParams(recorded.body.toString('utf8'));
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return reply(400, { error: 'unsupported_grant_type' });
        try {
          const claims = jwt.verify(form.get('assertion') ?? '', publicKey, { algorithms: ['RS256'], audience: fcm.tokenUri, issuer: clientEmail }) as jwt.JwtPayload;
          if (claims.scope !== 'https://www.googleapis.com/auth/firebase.messaging' || claims.exp! - claims.iat! !== 3600) throw new Error('claims');
          fcm.assertions.push(claims);
        } catch {
          return reply(400, { error: 'invalid_grant' });
        }
        const token = `ya29.${randomBytes(16).toString('hex')}`;
        fcm.issued.add(token);
        return reply(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
      }
      if (recorded.method === 'POST' && recorded.path === `/v1/projects/${projectId}/messages:send`) {
        fcm.sends.push(recorded);
        const bearer = /^Bearer (.+)$/.exec(recorded.headers.authorization ?? '')?.[1];
        if (!bearer || !fcm.issued.has(bearer)) {
          return reply(401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' } });
        }
        const answer = await fcm.respond(recorded);
        return reply(answer.status, answer.body ?? '', answer.headers);
      }
      reply(404, { error: { code: 404, status: 'NOT_FOUND', message: 'no such method' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fcm.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fcm.tokenUri = `${fcm.origin}/token`;
  fcm.serviceAccountJson = JSON.stringify({
    type: 'service_account',
    project_id: projectId,
    private_key_id: 'key-0001',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    token_uri: fcm.tokenUri,
  });
  fcm.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fcm;
}

/** An FCM error body as the v1 API writes it. */
export function fcmError(code: number, status: string, errorCode?: string): string {
  return JSON.stringify({
    error: {
      code,
      message: `scripted ${status}`,
      status,
      details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
    },
  });
}
