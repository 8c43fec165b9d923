// OAuth2 access tokens for a Google service account (the "JWT bearer" flow FCM HTTP v1 needs): an
// RS256 assertion {iss: client_email, scope, aud: token_uri, iat, exp: iat + 1h} signed with the
// account's private key is exchanged at token_uri for an access token, which is reused until a
// minute before it expires. Concurrent callers share one exchange.
import jwt from 'jsonwebtoken';
import { request, type Dispatcher } from 'undici';

export interface ServiceAccount {
  projectId: string;
  clientEmail: string;
  /** PEM (PKCS#8) RSA private key. */
  privateKey: string;
  privateKeyId?: string;
  tokenUri: string;
}

export class ServiceAccountError extends Error {
  override name = 'ServiceAccountError';
}

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** Reads the JSON key file Google issues for a service account. */
export function parseServiceAccount(json: string): ServiceAccount {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new ServiceAccountError('service account: not JSON');
  }
  const need = (key: string): string => {
    const v = raw[key];
    if (typeof v !== 'string' || v === '') throw new ServiceAccountError(`service account: "${key}" is missing`);
    return v;
  };
  return {
    projectId: need('project_id'),
    clientEmail: need('client_email'),
    privateKey: need('private_key'),
    ...(typeof raw.private_key_id === 'string' ? { privateKeyId: raw.private_key_id } : {}),
    tokenUri: typeof raw.token_uri === 'string' && raw.token_uri !== '' ? raw.token_uri : GOOGLE_TOKEN_URI,
  };
}

export interface AccessTokenOptions {
  timeoutMs: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

export class ServiceAccountTokens {
  private cached?: { token: string; refreshAt: number };
  private inFlight?: Promise<string>;
  private readonly now: () => number;

  constructor(
    private readonly account: ServiceAccount,
    private readonly scope: string,
    private readonly options: AccessTokenOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async accessToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.inFlight ??= this.exchange().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** After the service refused `token` (401): the next call fetches a new one. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async exchange(): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    const assertion = jwt.sign(
      { iss: this.account.clientEmail, scope: this.scope, aud: this.account.tokenUri, iat, exp: iat + 3600 },
      this.account.privateKey,
      { algorithm: 'RS256', ...(this.account.privateKeyId ? { keyid: this.account.privateKeyId } : {}) },
    );
    const res = await request(this.account.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`token endpoint answered ${res.statusCode}`);
    let answer: { access_token?: unknown; expires_in?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new Error('token endpoint answered with something that is not JSON');
    }
    if (typeof answer.access_token !== 'string' || answer.access_token === '') throw new Error('token endpoint gave no access_token');
    const lifetimeMs = (typeof answer.expires_in === 'number' ? answer.expires_in : 3600) * 1000;
    this.cached = { token: answer.access_token, refreshAt: this.now() + Math.max(0, lifetimeMs - 60_000) };
    return answer.access_token;
  }
}
