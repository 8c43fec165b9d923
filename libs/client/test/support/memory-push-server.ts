// A push server held in memory, reached like the real one through ServerRequests: /subscribe and
// /unsubscribe checked as upstream checks them where a client can get them wrong (the account's
// Ed25519 key, the signed text, the signature), with upstream's answers. The whole path to the
// real server through onion paths is in test/e2e/push-onion.spec.ts.
import { ed25519PublicKeyToX25519, fromBase64, fromHex, monitorSigningText, toHex, unsubscribeSigningText, verifyEd25519, type V4Request, type V4Response } from '@starling/crypto';
import type { ServerRequests } from '../../src/attachments/file-transfer';
import type { ServerAddress } from '../../src/network/onion-client';

export interface StoredPushSubscription {
  account: string;
  service: string;
  serviceInfo: Record<string, string>;
  namespaces: number[];
  data: boolean;
  encKey: string;
}

export class MemoryPushServer implements ServerRequests {
  readonly subscriptions = new Map<string, StoredPushSubscription>();
  readonly requests: { server: ServerAddress; endpoint: string; body: Record<string, any> }[] = [];
  /** When set, every request is refused with this upstream answer. */
  refuseWith: { error: number; message: string } | undefined;

  async serverRequest(server: ServerAddress, request: V4Request): Promise<V4Response> {
    const body = JSON.parse(Buffer.from(request.body ?? new Uint8Array()).toString('utf8'));
    this.requests.push({ server, endpoint: request.meta.endpoint, body });
    if (this.refuseWith) return json(this.refuseWith);
    const account = fromHex(body.pubkey, 33);
    const ed25519 = fromHex(body.session_ed25519, 32);
    if (toHex(ed25519PublicKeyToX25519(ed25519)) !== body.pubkey.slice(2)) return json({ error: 4, message: 'session_ed25519 does not match pubkey' });
    const key = `${body.pubkey}:${body.service}:${JSON.stringify(body.service_info)}`;
    if (request.meta.endpoint === '/subscribe') {
      if (!verifyEd25519(fromBase64(body.signature), Buffer.from(monitorSigningText(account, body.sig_ts, body.data, body.namespaces)), ed25519)) {
        return json({ error: 4, message: 'Invalid signature' });
      }
      const added = !this.subscriptions.has(key);
      this.subscriptions.set(key, { account: body.pubkey, service: body.service, serviceInfo: body.service_info, namespaces: body.namespaces, data: body.data, encKey: body.enc_key });
      return json(added ? { success: true, added: true, message: 'Subscription successful' } : { success: true, updated: true, message: 'Resubscription successful' });
    }
    if (!verifyEd25519(fromBase64(body.signature), Buffer.from(unsubscribeSigningText(account, body.sig_ts)), ed25519)) return json({ error: 4, message: 'Invalid signature' });
    const removed = this.subscriptions.delete(key);
    return json({ success: true, removed, message: removed ? 'Device unsubscribed from push notifications' : 'Device was not subscribed to push notifications' });
  }
}

function json(value: unknown): V4Response {
  return { code: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) };
}
