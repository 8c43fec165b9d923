// Client-side helpers for tests: an account that signs requests the way Session clients do.
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, signEd25519, toHex } from '@starling/crypto';
import { randomBytes } from 'crypto';

export class TestAccount {
  readonly sessionId: string;
  readonly ed25519Hex: string;
  private readonly secretKey: Uint8Array;

  constructor(seed: Uint8Array = randomBytes(32)) {
    const pair = ed25519KeyPairFromSeed(seed);
    this.secretKey = pair.secretKey;
    this.ed25519Hex = toHex(pair.publicKey);
    this.sessionId = '05' + toHex(ed25519PublicKeyToX25519(pair.publicKey));
  }

  sign(text: string | Uint8Array): string {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    return Buffer.from(signEd25519(this.secretKey, bytes)).toString('base64');
  }

  /** Auth fields for a 05 account: signature plus pubkey_ed25519. */
  auth(text: string): { signature: string; pubkey_ed25519: string } {
    return { signature: this.sign(text), pubkey_ed25519: this.ed25519Hex };
  }

  storeParams(data: Buffer | string, opts: { namespace?: number; ttl?: number; timestamp?: number } = {}): Record<string, unknown> {
    const timestamp = opts.timestamp ?? Date.now();
    const ns = opts.namespace ?? 0;
    const params: Record<string, unknown> = {
      pubkey: this.sessionId,
      timestamp,
      ttl: opts.ttl ?? 60_000,
      data: Buffer.from(data).toString('base64'),
    };
    if (ns !== 0) params.namespace = ns;
    if (ns % 10 !== 0) Object.assign(params, this.auth(`store${ns}${timestamp}`));
    return params;
  }

  retrieveParams(opts: { namespace?: number; last_hash?: string; max_count?: number; max_size?: number; timestamp?: number } = {}): Record<string, unknown> {
    const timestamp = opts.timestamp ?? Date.now();
    const ns = opts.namespace ?? 0;
    const { timestamp: _t, ...rest } = opts;
    return { pubkey: this.sessionId, timestamp, ...rest, ...this.auth(`retrieve${ns === 0 ? '' : ns}${timestamp}`) };
  }
}

/** The account of storage-onion 1.11 (Ed seed 00 01 .. 1f). */
export function vectorAccount(): TestAccount {
  return new TestAccount(Uint8Array.from({ length: 32 }, (_, i) => i));
}

/** Auth fields of a request signed through a subaccount token. */
export interface SubaccountAuth {
  subaccount: string;
  subaccount_sig: string;
  signature: string;
}

/**
 * A group account (03 + the group's Ed25519 key): the admin signs with the group key itself
 * (no pubkey_ed25519), and signs 36-byte tokens that let a member's key sign in its place.
 */
export class TestGroup {
  readonly id: string;
  private readonly key: TestAccount;

  constructor(seed: Uint8Array = randomBytes(32)) {
    this.key = new TestAccount(seed);
    this.id = '03' + this.key.ed25519Hex;
  }

  /** base64 signature by the group (admin) key. */
  sign(message: string | Uint8Array): string {
    return this.key.sign(message);
  }

  /** A token [netid, flags, 0, 0, member Ed25519 key]. */
  static token(member: TestAccount, flags: number, netid = 0x03): Buffer {
    return Buffer.concat([Buffer.from([netid, flags, 0, 0]), Buffer.from(member.ed25519Hex, 'hex')]);
  }

  /** A request signed by `member` through a token the group signed. */
  delegated(member: TestAccount, token: Buffer, text: string): SubaccountAuth {
    return { subaccount: token.toString('base64'), subaccount_sig: this.sign(token), signature: member.sign(text) };
  }

  /** Store params signed by the admin, or by `by` when given. */
  storeParams(data: string, opts: { namespace: number; ttl?: number; by?: (text: string) => object }): Record<string, unknown> {
    const timestamp = Date.now();
    const text = `store${opts.namespace === 0 ? '' : opts.namespace}${timestamp}`;
    const params = { pubkey: this.id, namespace: opts.namespace, timestamp, ttl: opts.ttl ?? 60_000, data: Buffer.from(data).toString('base64') };
    return { ...params, ...(opts.by ? opts.by(text) : { signature: this.sign(text) }) };
  }

  /** Retrieve params signed by the admin, or by `by` when given. */
  retrieveParams(opts: { namespace: number; by?: (text: string) => object }): Record<string, unknown> {
    const timestamp = Date.now();
    const text = `retrieve${opts.namespace === 0 ? '' : opts.namespace}${timestamp}`;
    return { pubkey: this.id, namespace: opts.namespace, timestamp, ...(opts.by ? opts.by(text) : { signature: this.sign(text) }) };
  }

  /** revoke_subaccount / unrevoke_subaccount params, signed by the admin. */
  revocationParams(change: 'revoke' | 'unrevoke', tokens: readonly Buffer[], timestamp = Date.now()): Record<string, unknown> {
    return {
      pubkey: this.id,
      [change]: tokens.map((t) => t.toString('base64')),
      timestamp,
      signature: this.sign(Buffer.concat([Buffer.from(`${change}_subaccount${timestamp}`), ...tokens])),
    };
  }
}
