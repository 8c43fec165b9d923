// A Session account as the push server's client API sees it (services/push README): /subscribe and
// /unsubscribe bodies signed with the account's Ed25519 key, as the apps and PushClient send them,
// and subaccount tokens it delegates. The key comes from a seed, so a seeded suite signs the same.
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, monitorSigningText, SubaccountFlag, signEd25519, toBase64, toHex, unsubscribeSigningText } from '@starling/crypto';

/** Where notices would go: `service` and `service_info` as the body carries them. */
export interface PushTargetFields {
  service: string;
  service_info: unknown;
}

export interface SubscribeOptions {
  sigTs?: number;
  namespaces?: number[];
  data?: boolean;
  /** Hex, base64 or raw: what the body's enc_key says (default 32 bytes of 7, hex). */
  encKey?: string;
}

export class PushSubscriber {
  /** The 05 Session ID, hex. */
  readonly sessionId: string;
  readonly ed25519Hex: string;
  readonly account: Buffer;
  private readonly secretKey: Uint8Array;

  constructor(seed: Uint8Array) {
    const pair = ed25519KeyPairFromSeed(seed);
    this.secretKey = pair.secretKey;
    this.ed25519Hex = toHex(pair.publicKey);
    this.sessionId = '05' + toHex(ed25519PublicKeyToX25519(pair.publicKey));
    this.account = Buffer.from(this.sessionId, 'hex');
  }

  /** Base64 of this account's signature of `text` (or of raw bytes). */
  sign(text: string | Uint8Array): string {
    return toBase64(signEd25519(this.secretKey, typeof text === 'string' ? Buffer.from(text, 'utf8') : text));
  }

  /** The MONITOR text this account signs for a subscription. */
  monitorText(sigTs: number, data: boolean, namespaces: readonly number[]): string {
    return monitorSigningText(this.account, sigTs, data, namespaces);
  }

  /** A valid /subscribe body for `target`, signed now (or at `sigTs`). */
  subscribe(target: PushTargetFields, options: SubscribeOptions = {}): Record<string, unknown> {
    const sigTs = options.sigTs ?? nowSeconds();
    const namespaces = options.namespaces ?? [0];
    const data = options.data ?? true;
    return {
      pubkey: this.sessionId,
      session_ed25519: this.ed25519Hex,
      namespaces,
      data,
      sig_ts: sigTs,
      signature: this.sign(this.monitorText(sigTs, data, namespaces)),
      ...target,
      enc_key: options.encKey ?? '07'.repeat(32),
    };
  }

  /** A valid /unsubscribe body for `target`, signed now (or at `sigTs`). */
  unsubscribe(target: PushTargetFields, sigTs = nowSeconds()): Record<string, unknown> {
    return { pubkey: this.sessionId, session_ed25519: this.ed25519Hex, sig_ts: sigTs, signature: this.sign(unsubscribeSigningText(this.account, sigTs)), ...target };
  }

  /**
   * A subaccount token `[netid, flags, 0, 0, delegate key]` this account signs for `delegate`
   * (Read by default), hex, with the account's signature of it.
   */
  delegate(delegate: PushSubscriber, options: { flags?: number; netid?: number } = {}): { subaccount: string; subaccount_sig: string } {
    const token = Buffer.concat([Buffer.from([options.netid ?? this.account[0]!, options.flags ?? SubaccountFlag.read, 0, 0]), Buffer.from(delegate.ed25519Hex, 'hex')]);
    return { subaccount: token.toString('hex'), subaccount_sig: this.sign(token) };
  }
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
