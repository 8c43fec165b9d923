// Params of the storage RPCs an account sends to swarms: signed ones for its own swarm (retrieve,
// store to owner namespaces, expire, delete) and the unsigned store to anyone's namespace 0.
import { Identity, signEd25519, toBase64, toHex, utf8 } from '@starling/crypto';
import { deleteSignatureText, ExpireMode, expireSignatureText, retrieveSignatureText, storeSignatureText } from './signatures';

export type RpcParams = Record<string, unknown>;

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Content messages live 14 days, config messages 30 (client.md 3.2). */
export const MESSAGE_TTL_MS = 14 * DAY_MS;
export const CONFIG_TTL_MS = 30 * DAY_MS;

/** Namespaces whose store needs no signature: the public inboxes (ns % 10 == 0). */
export function isPublicNamespace(namespace: number): boolean {
  return namespace % 10 === 0;
}

export class OwnSwarmRequests {
  constructor(private readonly identity: Identity) {}

  retrieve(namespace: number, timestampMs: number, lastHash: string | undefined, maxSize: number): RpcParams {
    return {
      ...this.auth(retrieveSignatureText(namespace, timestampMs)),
      namespace,
      timestamp: timestampMs,
      last_hash: lastHash ?? '',
      max_size: maxSize,
    };
  }

  /** A store to one of the own namespaces; owner namespaces are signed, public ones are not. */
  store(namespace: number, timestampMs: number, ttlMs: number, data: Uint8Array): RpcParams {
    const base = storeToInbox(this.identity.sessionId, namespace, timestampMs, ttlMs, data);
    if (isPublicNamespace(namespace)) return base;
    return { ...base, ...this.auth(storeSignatureText(namespace, timestampMs)) };
  }

  expire(mode: ExpireMode, expiryMs: number, hashes: readonly string[]): RpcParams {
    const params: RpcParams = { ...this.auth(expireSignatureText(mode, expiryMs, hashes)), messages: [...hashes], expiry: expiryMs };
    if (mode !== '') params[mode] = true;
    return params;
  }

  delete(hashes: readonly string[]): RpcParams {
    return { ...this.auth(deleteSignatureText(hashes)), messages: [...hashes] };
  }

  private auth(text: string): RpcParams {
    return {
      pubkey: this.identity.sessionId,
      pubkey_ed25519: toHex(this.identity.ed25519.publicKey),
      signature: toBase64(signEd25519(this.identity.ed25519.secretKey, utf8(text))),
    };
  }
}

/** A store anyone may send to a public namespace of `pubkey` (a recipient's inbox, ns 0). */
export function storeToInbox(pubkey: string, namespace: number, timestampMs: number, ttlMs: number, data: Uint8Array): RpcParams {
  return { pubkey, namespace, timestamp: timestampMs, ttl: ttlMs, data: toBase64(data) };
}
