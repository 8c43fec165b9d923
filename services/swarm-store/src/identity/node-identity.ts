// The node's own Ed25519/X25519 identity: generated once on first start and kept in the data
// folder (a volume per pod), so the node keeps its place in the network across restarts.
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'crypto';
import * as path from 'path';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, ed25519SecretKeyToX25519, loadOrCreateSeedFile, toHex } from '@starling/crypto';

export const IDENTITY_FILE = 'node-identity.key';

/** PKCS#8 DER header of a raw Ed25519 seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class NodeIdentity {
  readonly ed25519Hex: string;
  readonly x25519Hex: string;
  readonly x25519SecretKey: Uint8Array;
  // Node's native Ed25519 with the key imported once: every store reply carries a node signature,
  // and this is ~8x cheaper per signature than deriving and signing in libsodium's WASM build.
  // Ed25519 is deterministic, so the signatures are the same bytes either way.
  private readonly signingKey: KeyObject;

  constructor(seed: Uint8Array) {
    const pair = ed25519KeyPairFromSeed(seed);
    this.signingKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
    this.ed25519Hex = toHex(pair.publicKey);
    this.x25519Hex = toHex(ed25519PublicKeyToX25519(pair.publicKey));
    this.x25519SecretKey = ed25519SecretKeyToX25519(pair.secretKey);
  }

  /** Detached Ed25519 signature by the node key. */
  sign(message: Uint8Array): Uint8Array {
    return nodeSign(null, message, this.signingKey);
  }

  /** base64 node signature over a UTF-8 text (the per-member `signature` of swarm results). */
  signText(text: string): string {
    return Buffer.from(this.sign(Buffer.from(text, 'utf8'))).toString('base64');
  }
}

/** Reads the key from `dataDir`, or creates it (mode 0600) on first start. */
export async function loadOrCreateIdentity(dataDir: string): Promise<NodeIdentity> {
  return new NodeIdentity(loadOrCreateSeedFile(path.join(dataDir, IDENTITY_FILE)));
}
