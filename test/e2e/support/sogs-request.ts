// A community-server user as a Session client is: a blinded (15) id and X-SOGS-* signed requests.
import { blind15Id, fromHex, generateIdentity, signSogsRequest } from '@starling/crypto';

export class SogsUser {
  readonly secret: Uint8Array;
  /** The id the server knows this user by. */
  readonly id: string;

  constructor(private readonly serverPubkeyHex: string) {
    this.secret = generateIdentity().identity.ed25519.secretKey;
    this.id = blind15Id(this.secret, fromHex(serverPubkeyHex, 32));
  }

  /** Headers for one request; the signature covers method, path (with query) and body. */
  headers(method: string, path: string, body: Uint8Array = new Uint8Array()): Record<string, string> {
    const signed = signSogsRequest(
      this.secret,
      { serverPk: fromHex(this.serverPubkeyHex, 32), timestamp: Math.floor(Date.now() / 1000), method, path, body },
      'blind15',
    );
    return { ...signed, ...(body.length ? { 'content-type': 'application/json' } : {}) } as Record<string, string>;
  }
}
