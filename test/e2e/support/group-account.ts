// A group account for the network tests (03 + the group's Ed25519 key), as Session clients sign
// for one: the admin signs with the group key; a member signs with its own key through a 36-byte
// token [03, flags, 0, 0, member key] that the admin signed.
import { ed25519KeyPairFromSeed, signEd25519, toHex } from '@starling/crypto';
import { randomBytes } from 'crypto';

export const Flags = { read: 0x01, write: 0x02, delete: 0x04, anyPrefix: 0x08 } as const;

/** Something that signs with an Ed25519 key. */
class Signer {
  readonly publicKey: Uint8Array;
  private readonly secretKey: Uint8Array;

  constructor() {
    const pair = ed25519KeyPairFromSeed(randomBytes(32));
    this.publicKey = pair.publicKey;
    this.secretKey = pair.secretKey;
  }

  sign(message: string | Uint8Array): string {
    return Buffer.from(signEd25519(this.secretKey, typeof message === 'string' ? Buffer.from(message) : message)).toString('base64');
  }
}

export class GroupMember extends Signer {}

export class GroupAccount extends Signer {
  readonly id = '03' + toHex(this.publicKey);

  /** The token the admin gives a member, with its signature. */
  tokenFor(member: GroupMember, flags: number): { token: Buffer; tokenSig: string } {
    const token = Buffer.concat([Buffer.from([0x03, flags, 0, 0]), member.publicKey]);
    return { token, tokenSig: this.sign(token) };
  }

  /** Auth fields: by the admin, or by `as` through its token. */
  private auth(text: string, as?: { member: GroupMember; token: Buffer; tokenSig: string }): Record<string, string> {
    if (!as) return { signature: this.sign(text) };
    return { subaccount: as.token.toString('base64'), subaccount_sig: as.tokenSig, signature: as.member.sign(text) };
  }

  store(data: string, namespace: number, as?: Parameters<GroupAccount['auth']>[1]): Record<string, unknown> {
    const timestamp = Date.now();
    return { pubkey: this.id, namespace, timestamp, ttl: 600_000, data: Buffer.from(data).toString('base64'), ...this.auth(`store${namespace}${timestamp}`, as) };
  }

  retrieve(namespace: number, as?: Parameters<GroupAccount['auth']>[1]): Record<string, unknown> {
    const timestamp = Date.now();
    return { pubkey: this.id, namespace, timestamp, ...this.auth(`retrieve${namespace}${timestamp}`, as) };
  }

  /** revoke_subaccount / unrevoke_subaccount: signed by the admin over method ‖ timestamp ‖ tokens. */
  revocation(change: 'revoke' | 'unrevoke', tokens: readonly Buffer[]): Record<string, unknown> {
    const timestamp = Date.now();
    const signature = this.sign(Buffer.concat([Buffer.from(`${change}_subaccount${timestamp}`), ...tokens]));
    return { pubkey: this.id, [change]: tokens.map((t) => t.toString('base64')), timestamp, signature };
  }

  revokedList(): Record<string, unknown> {
    const timestamp = Date.now();
    return { pubkey: this.id, timestamp, signature: this.sign(`revoked_subaccounts${timestamp}`) };
  }
}
