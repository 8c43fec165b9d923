// Apple Push Notification service, token-based: HTTP/2 POST /3/device/<token> on one kept-alive
// connection, authorised by an ES256 provider JWT {iss: team id, iat} with `kid` = key id, made
// again every 40 minutes (Apple refuses tokens older than an hour and refreshing more often than
// every 20 minutes). The payload is upstream's: a visible alert that the app's notification
// extension replaces after decrypting enc_payload.
import * as http2 from 'http2';
import jwt from 'jsonwebtoken';
import { retryAfterMs, serviceInfoString, spnsFields, type OutgoingNotice, type PushProvider, type SendOutcome, type ServiceTarget } from './provider';
import { refuse } from '../subscriptions/subscribe-error';

export const APNS_PRODUCTION = 'https://api.push.apple.com';
export const APNS_SANDBOX = 'https://api.sandbox.push.apple.com';

/** Upstream's "aps" dictionary. */
const BASE_APS = {
  alert: { title: 'Session', body: "You've got a new message" },
  badge: 1,
  sound: 'default',
  'mutable-content': 1,
  category: 'SECRET',
};

const PROVIDER_TOKEN_LIFETIME_MS = 40 * 60_000;

export interface ApnsOptions {
  /** The .p8 signing key (PEM, P-256). */
  keyPem: string;
  keyId: string;
  teamId: string;
  /** The app's bundle id. */
  topic: string;
  /** https://api.push.apple.com, the sandbox, or a local server in tests. */
  origin: string;
  timeoutMs: number;
  /** Extra CA certificates to trust (a local server's self-signed certificate). */
  ca?: string | Buffer;
  now?: () => number;
}

export class ApnsProvider implements PushProvider {
  readonly service = 'apns';
  private session?: http2.ClientHttp2Session;
  private providerToken?: { jwt: string; madeAt: number };
  private readonly now: () => number;

  constructor(private readonly options: ApnsOptions) {
    this.now = options.now ?? Date.now;
  }

  target(serviceInfo: unknown): ServiceTarget {
    const token = serviceInfoString(serviceInfo, 'token');
    if (token.length !== 64) throw refuse(`Invalid token: expected length-64 device token, not ${token.length}`);
    return { serviceId: token };
  }

  async send(target: ServiceTarget, notice: OutgoingNotice): Promise<SendOutcome> {
    if (!/^[0-9a-fA-F]{64}$/.test(target.serviceId)) return { kind: 'unregistered', detail: 'device token is not hex' };
    const body = Buffer.from(JSON.stringify({ aps: BASE_APS, ...spnsFields(notice) }), 'utf8');
    const bearer = this.bearer();
    let answer: { status: number; body: string; headers: http2.IncomingHttpHeaders };
    try {
      answer = await this.post(`/3/device/${target.serviceId}`, bearer, notice, body);
    } catch (err) {
      return { kind: 'retry', detail: `network: ${(err as Error).message}` };
    }
    return this.classify(answer, bearer);
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session && !session.closed) await new Promise<void>((resolve) => session.close(() => resolve()));
  }

  private bearer(): string {
    const now = this.now();
    if (!this.providerToken || now - this.providerToken.madeAt >= PROVIDER_TOKEN_LIFETIME_MS) {
      const token = jwt.sign({ iss: this.options.teamId, iat: Math.floor(now / 1000) }, this.options.keyPem, {
        algorithm: 'ES256',
        keyid: this.options.keyId,
      });
      this.providerToken = { jwt: token, madeAt: now };
    }
    return this.providerToken.jwt;
  }

  private connection(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.options.origin, this.options.ca ? { ca: this.options.ca } : {});
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.unref();
    this.session = session;
    return session;
  }

  private post(path: string, bearer: string, notice: OutgoingNotice, body: Buffer): Promise<{ status: number; body: string; headers: http2.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const req = this.connection().request({
        ':method': 'POST',
        ':path': path,
        authorization: `bearer ${bearer}`,
        'apns-topic': this.options.topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-expiration': String(Math.floor(notice.expiryMs / 1000)),
        'content-type': 'application/json',
        'content-length': String(body.length),
      });
      const chunks: Buffer[] = [];
      let headers: http2.IncomingHttpHeaders = {};
      req.setTimeout(this.options.timeoutMs, () => req.close(http2.constants.NGHTTP2_CANCEL));
      req.on('response', (h) => (headers = h));
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = Number(headers[':status']);
        if (!status) return reject(new Error('stream closed without an answer'));
        resolve({ status, body: Buffer.concat(chunks).toString('utf8'), headers });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  private classify(answer: { status: number; body: string; headers: http2.IncomingHttpHeaders }, bearer: string): SendOutcome {
    const { status } = answer;
    if (status === 200) return { kind: 'delivered' };
    let reason = '';
    try {
      reason = String((JSON.parse(answer.body) as { reason?: unknown }).reason ?? '');
    } catch {
      // judged by status alone
    }
    const detail = `APNs ${status} ${reason}`.trim();
    if (status === 410 || reason === 'BadDeviceToken' || reason === 'DeviceTokenNotForTopic' || reason === 'Unregistered') {
      return { kind: 'unregistered', detail };
    }
    if (status === 403 && (reason === 'ExpiredProviderToken' || reason === 'InvalidProviderToken')) {
      if (this.providerToken?.jwt === bearer) this.providerToken = undefined;
      return { kind: 'retry', detail, retryAfterMs: 0 };
    }
    if (status === 429 || status >= 500) {
      const after = retryAfterMs(answer.headers['retry-after']);
      return { kind: 'retry', detail, ...(after === undefined ? {} : { retryAfterMs: after }) };
    }
    return { kind: 'rejected', detail };
  }
}
