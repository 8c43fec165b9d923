// The node's own Ed25519/X25519 identity: generated once on first start and kept in the data
// folder (a volume per pod), so the node keeps its place in the network across restarts.
import * as path from 'path';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, ed25519SecretKeyToX25519, loadOrCreateSeedFile, signEd25519, toHex } from '@starling/crypto';

export const IDENTITY_FILE = 'node-identity.key';

export class NodeIdentity {
  readonly ed25519Hex: string;
  readonly x25519Hex: string;
  readonly x25519SecretKey: Uint8Array;
  // Every store reply carries a node signature: signEd25519 keeps the checked key and signs natively.
  private readonly secretKey: Uint8Array;

  constructor(seed: Uint8Array) {
    const pair = ed25519KeyPairFromSeed(seed);
    this.secretKey = pair.secretKey;
    this.ed25519Hex = toHex(pair.publicKey);
    this.x25519Hex = toHex(ed25519PublicKeyToX25519(pair.publicKey));
    this.x25519SecretKey = ed25519SecretKeyToX25519(pair.secretKey);
  }

  /** Detached Ed25519 signature by the node key. */
  sign(message: Uint8Array): Uint8Array {
    return signEd25519(this.secretKey, message);
  }

  /** base64 node signature over a UTF-8 text (the per-member `signature` of swarm results). */
  signText(text: string): string {
    return Buffer.from(this.sign(Buffer.from(text, 'utf8'))).toString('base64');
  }
}

/** The node's seed from `dataDir`, created (mode 0600) on first start. */
export function loadOrCreateSeed(dataDir: string): Uint8Array {
  return loadOrCreateSeedFile(path.join(dataDir, IDENTITY_FILE));
}

/** Reads the key from `dataDir`, or creates it (mode 0600) on first start. */
export async function loadOrCreateIdentity(dataDir: string): Promise<NodeIdentity> {
  return new NodeIdentity(loadOrCreateSeed(dataDir));
}
