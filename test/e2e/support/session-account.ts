// A client account for the network tests: signs storage requests as Session clients do.
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, signEd25519, toHex } from '@starling/crypto';
import { randomBytes } from 'crypto';

export class SessionAccount {
  readonly sessionId: string;
  readonly ed25519Hex: string;
  private readonly secretKey: Uint8Array;

  constructor() {
    const pair = ed25519KeyPairFromSeed(randomBytes(32));
    this.secretKey = pair.secretKey;
    this.ed25519Hex = toHex(pair.publicKey);
    this.sessionId = '05' + toHex(ed25519PublicKeyToX25519(pair.publicKey));
  }

  auth(text: string): { signature: string; pubkey_ed25519: string } {
    return { signature: Buffer.from(signEd25519(this.secretKey, Buffer.from(text))).toString('base64'), pubkey_ed25519: this.ed25519Hex };
  }

  store(data: string, opts: { namespace?: number; ttl?: number } = {}): Record<string, unknown> {
    const timestamp = Date.now();
    const ns = opts.namespace ?? 0;
    return {
      pubkey: this.sessionId, timestamp, ttl: opts.ttl ?? 600_000, data: Buffer.from(data).toString('base64'), namespace: ns,
      ...(ns % 10 !== 0 ? this.auth(`store${ns}${timestamp}`) : {}),
    };
  }

  retrieve(opts: { namespace?: number; last_hash?: string; max_count?: number } = {}): Record<string, unknown> {
    const timestamp = Date.now();
    const ns = opts.namespace ?? 0;
    return { pubkey: this.sessionId, timestamp, ...opts, ...this.auth(`retrieve${ns === 0 ? '' : ns}${timestamp}`) };
  }
}
