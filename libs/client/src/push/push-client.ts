// The Session push server's client API (services/push README), through onion paths like every
// request to a server: POST /subscribe and /unsubscribe with bodies signed by the account, as the
// Session apps send them. A refusal comes back as HTTP 200 with {"error": N, "message"}; it is
// raised as a ClientError naming upstream's code.
import { monitorSigningText, signEd25519, toBase64, toHex, unsubscribeSigningText, type Identity } from '@starling/crypto';
import type { ServerRequests } from '../attachments/file-transfer';
import { ClientError } from '../network/errors';
import { serverRequest } from '../network/known-server';
import type { PushServer } from './push-server';

/** Where notices go: an HTTP endpoint (UnifiedPush, or a bot's webhook), or an app's FCM/APNs token. */
export type PushTarget = { service: 'unifiedpush'; endpoint: string } | { service: 'firebase' | 'apns'; token: string };

export interface SubscribeOptions {
  /** Namespaces to watch, ascending (default [0], the 1:1 inbox, as Session apps subscribe). */
  namespaces?: readonly number[];
  /** Notices carry the message itself when it is small (default true, as the apps ask). */
  data?: boolean;
  /** 32-byte key the server encrypts every notice with; only this device holds it. */
  encKey: Uint8Array;
}

/** Upstream's SUBSCRIBE codes. */
const REFUSALS: Record<number, string> = { 1: 'bad input', 2: 'service not available', 3: 'backend timeout', 4: 'refused', 5: 'internal error' };

export class PushClient {
  constructor(
    private readonly requests: ServerRequests,
    private readonly server: PushServer,
    private readonly identity: Identity,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes (or renews) this account for `target`; true when it was new at the server. */
  async subscribe(target: PushTarget, options: SubscribeOptions): Promise<{ added: boolean; sigTs: number }> {
    const namespaces = [...(options.namespaces ?? [0])];
    const data = options.data ?? true;
    if (options.encKey.length !== 32) throw new ClientError('the notice key must be 32 bytes', 'input');
    const sigTs = this.seconds();
    const body = {
      ...this.signer(monitorSigningText(this.account, sigTs, data, namespaces)),
      namespaces,
      data,
      sig_ts: sigTs,
      ...serviceOf(target),
      enc_key: toHex(options.encKey),
    };
    const answer = await this.post('/subscribe', body);
    return { added: answer.added === true, sigTs };
  }

  /** Removes this account's subscription for `target`; false when the server had none. */
  async unsubscribe(target: PushTarget): Promise<{ removed: boolean }> {
    const sigTs = this.seconds();
    const body = { ...this.signer(unsubscribeSigningText(this.account, sigTs)), sig_ts: sigTs, ...serviceOf(target) };
    const answer = await this.post('/unsubscribe', body);
    return { removed: answer.removed === true };
  }

  private get account(): Buffer {
    return Buffer.from(this.identity.sessionId, 'hex');
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** pubkey, session_ed25519 and the signature of `text` by the account's Ed25519 key. */
  private signer(text: string): Record<string, string> {
    return {
      pubkey: this.identity.sessionId,
      session_ed25519: toHex(this.identity.ed25519.publicKey),
      signature: toBase64(signEd25519(this.identity.ed25519.secretKey, Buffer.from(text, 'utf8'))),
    };
  }

  private async post(endpoint: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await serverRequest(this.requests, this.server, {
      meta: { method: 'POST', endpoint, headers: { 'content-type': 'application/json' } },
      body: Buffer.from(JSON.stringify(body), 'utf8'),
    });
    if (response.code !== 200) throw new ClientError(`the push server answered ${endpoint} with ${response.code}`, 'refused');
    let answer: unknown;
    try {
      answer = JSON.parse(Buffer.from(response.body).toString('utf8'));
    } catch {
      throw new ClientError(`the push server answered ${endpoint} with something that is not JSON`);
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new ClientError(`the push server answered ${endpoint} with an unexpected shape`);
    const fields = answer as Record<string, unknown>;
    if (typeof fields.error === 'number') {
      throw new ClientError(`the push server refused ${endpoint} (${REFUSALS[fields.error] ?? `error ${fields.error}`}): ${String(fields.message ?? '')}`, 'refused');
    }
    if (fields.success !== true) throw new ClientError(`the push server answered ${endpoint} without success`);
    return fields;
  }
}

function serviceOf(target: PushTarget): { service: string; service_info: Record<string, string> } {
  return target.service === 'unifiedpush'
    ? { service: 'unifiedpush', service_info: { endpoint: target.endpoint } }
    : { service: target.service, service_info: { token: target.token } };
}
