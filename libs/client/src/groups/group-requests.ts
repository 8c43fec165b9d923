// Params of the storage RPCs a device sends to a group's swarm (storage-onion 1.3, groups.md
// 4.3, 4.4). The account is
// the group ("03…"); an admin signs with the group key itself, a member with its subaccount
// (the token and the admin's signature of it travel with every request). The signed texts are the
// same as for one's own swarm; revoke/unrevoke sign the method, the time and the raw tokens.
import { concatBytes, signEd25519, toBase64, toHex, utf8 } from '@starling/crypto';
import { deleteSignatureText, expireSignatureText, ExpireMode, retrieveSignatureText, storeSignatureText } from '../storage/signatures';
import { RpcParams, storeToInbox } from '../storage/own-swarm-requests';
import { signWithSubaccount } from './subaccount-auth';

/** How this device proves its right to a group's swarm. */
export type GroupCredentials = { kind: 'admin'; groupSecret: Uint8Array } | { kind: 'member'; userSecret: Uint8Array; authData: Uint8Array };

export class GroupRequests {
  constructor(
    readonly groupId: string,
    private readonly credentials: GroupCredentials,
  ) {}

  get isAdmin(): boolean {
    return this.credentials.kind === 'admin';
  }

  retrieve(namespace: number, timestampMs: number, lastHash: string | undefined, maxSize: number): RpcParams {
    return { ...this.auth(utf8(retrieveSignatureText(namespace, timestampMs))), namespace, timestamp: timestampMs, last_hash: lastHash ?? '', max_size: maxSize };
  }

  store(namespace: number, timestampMs: number, ttlMs: number, data: Uint8Array): RpcParams {
    return { ...storeToInbox(this.groupId, namespace, timestampMs, ttlMs, data), ...this.auth(utf8(storeSignatureText(namespace, timestampMs))) };
  }

  expire(mode: ExpireMode, expiryMs: number, hashes: readonly string[]): RpcParams {
    const params: RpcParams = { ...this.auth(utf8(expireSignatureText(mode, expiryMs, hashes))), messages: [...hashes], expiry: expiryMs };
    if (mode !== '') params[mode] = true;
    return params;
  }

  delete(hashes: readonly string[]): RpcParams {
    return { ...this.auth(utf8(deleteSignatureText(hashes))), messages: [...hashes] };
  }

  /** Admins only: tokens the swarm refuses from now on (a removed member's). */
  revoke(tokens: readonly Uint8Array[], timestampMs: number): RpcParams {
    return this.tokenChange('revoke_subaccount', 'revoke', tokens, timestampMs);
  }

  /** Admins only: accepted again (a member invited back). */
  unrevoke(tokens: readonly Uint8Array[], timestampMs: number): RpcParams {
    return this.tokenChange('unrevoke_subaccount', 'unrevoke', tokens, timestampMs);
  }

  private tokenChange(method: string, field: string, tokens: readonly Uint8Array[], timestampMs: number): RpcParams {
    if (this.credentials.kind !== 'admin') throw new Error(`${method} needs the group admin key`);
    const signature = signEd25519(this.credentials.groupSecret, concatBytes(utf8(`${method}${timestampMs}`), ...tokens));
    return { pubkey: this.groupId, [field]: tokens.map(toHex), timestamp: timestampMs, signature: toBase64(signature) };
  }

  private auth(message: Uint8Array): RpcParams {
    if (this.credentials.kind === 'admin') return { pubkey: this.groupId, signature: toBase64(signEd25519(this.credentials.groupSecret, message)) };
    return { pubkey: this.groupId, ...signWithSubaccount(this.credentials.userSecret, this.credentials.authData, message) };
  }
}
