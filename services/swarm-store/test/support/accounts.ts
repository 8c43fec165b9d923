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
