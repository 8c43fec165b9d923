// Firebase Cloud Messaging, HTTP v1 API: POST {endpoint}/v1/projects/{project}/messages:send with
// a service-account access token. The message is data-only, as upstream sends it to the apps:
// {"message": {"token", "data": {"enc_payload", "spns": "1"}, "android": {"priority": "high", "ttl"}}}.
// Error answers carry google.rpc.Status with an FcmError errorCode in `details`.
import { request, type Dispatcher } from 'undici';
import { ServiceAccountTokens, type ServiceAccount } from './google-oauth';
import { retryAfterMs, serviceInfoString, spnsFields, type OutgoingNotice, type PushProvider, type SendOutcome, type ServiceTarget } from './provider';
import { refuse } from '../subscriptions/subscribe-error';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
export const FCM_ENDPOINT = 'https://fcm.googleapis.com';

export interface FcmOptions {
  account: ServiceAccount;
  /** Base URL of the FCM API (a local server in tests). */
  endpoint: string;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

interface FcmErrorBody {
  error?: { status?: string; message?: string; details?: Array<{ errorCode?: string }> };
}

export class FcmProvider implements PushProvider {
  readonly service = 'firebase';
  private readonly tokens: ServiceAccountTokens;
  private readonly sendUrl: string;

  constructor(private readonly options: FcmOptions) {
    this.tokens = new ServiceAccountTokens(options.account, FCM_SCOPE, {
      timeoutMs: options.timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    this.sendUrl = `${options.endpoint.replace(/\/+$/, '')}/v1/projects/${encodeURIComponent(options.account.projectId)}/messages:send`;
  }

  target(serviceInfo: unknown): ServiceTarget {
    const token = serviceInfoString(serviceInfo, 'token');
    if (token === '') throw refuse('Invalid firebase device token');
    return { serviceId: token };
  }

  async send(target: ServiceTarget, notice: OutgoingNotice): Promise<SendOutcome> {
    let accessToken: string;
    try {
      accessToken = await this.tokens.accessToken();
    } catch (err) {
      return { kind: 'retry', detail: `oauth: ${(err as Error).message}` };
    }
    const fields = spnsFields(notice);
    const ttlSeconds = Math.max(0, Math.floor((notice.expiryMs - Date.now()) / 1000));
    const message = {
      message: {
        token: target.serviceId,
        data: { enc_payload: fields.enc_payload, spns: String(fields.spns) },
        android: { priority: 'high', ttl: `${ttlSeconds}s` },
      },
    };
    try {
      const res = await request(this.sendUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      const text = await res.body.text();
      if (res.statusCode === 401) this.tokens.invalidate(accessToken);
      return classify(res.statusCode, text, res.headers['retry-after']);
    } catch (err) {
      return { kind: 'retry', detail: `network: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {}
}

function classify(status: number, text: string, retryAfter: string | string[] | undefined): SendOutcome {
  if (status === 200) return { kind: 'delivered' };
  let body: FcmErrorBody = {};
  try {
    body = JSON.parse(text) as FcmErrorBody;
  } catch {
    // an error page that is not JSON: judged by its status alone
  }
  const code = body.error?.details?.find((d) => typeof d.errorCode === 'string')?.errorCode ?? body.error?.status ?? '';
  const detail = `FCM ${status} ${code}`.trim();
  // UNREGISTERED (404): the app instance is gone. INVALID_ARGUMENT (400): with our fixed, valid
  // payload only the token can be wrong. SENDER_ID_MISMATCH (403): a token of another project.
  if (status === 404 || code === 'UNREGISTERED' || code === 'INVALID_ARGUMENT' || code === 'SENDER_ID_MISMATCH') {
    return { kind: 'unregistered', detail };
  }
  if (status === 401) return { kind: 'retry', detail, retryAfterMs: 0 };
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(retryAfter);
    return { kind: 'retry', detail, ...(after === undefined ? {} : { retryAfterMs: after }) };
  }
  return { kind: 'rejected', detail };
}
