// One hop of an onion path: read the blob, peel this relay's layer, and act on what is inside —
// forward to the next node, or proxy to an HTTP server. Errors are answered the way Session
// clients parse them (storage-onion.md 3.7).
import {
  CryptoError,
  encodeOnionFrame,
  isAllowedProxyTarget,
  MAX_ONION_HOPS,
  parseOnionEnvelope,
  peelOnionLayer,
  toHex,
  X25519KeyPair,
} from '@starling/crypto';
import { HopOutcome, pathError } from './hop-outcome';
import { HttpProxy } from './http-proxy';
import { NextHop } from './next-hop';

export class OnionRouter {
  constructor(
    private readonly keys: X25519KeyPair,
    private readonly nextHop: Pick<NextHop, 'forward'>,
    private readonly proxy: HttpProxy,
  ) {}

  async handle(blob: Uint8Array): Promise<HopOutcome> {
    let envelope: ReturnType<typeof parseOnionEnvelope>;
    try {
      envelope = parseOnionEnvelope(blob);
    } catch (err) {
      return pathError(400, `Error parsing onion request: ${(err as Error).message}`, 'bad_request');
    }
    const hopNo = envelope.hopNo ?? 0;
    if (hopNo >= MAX_ONION_HOPS) return pathError(400, 'onion request max path length exceeded', 'bad_request');

    let peeled: ReturnType<typeof peelOnionLayer>;
    try {
      peeled = peelOnionLayer(this.keys, envelope.layer);
    } catch (err) {
      if (err instanceof CryptoError && err.code === 'DECRYPT_FAILED') {
        return pathError(400, 'Invalid ciphertext', 'bad_request');
      }
      return pathError(400, `Error parsing onion request: ${(err as Error).message}`, 'bad_request');
    }

    const { instruction } = peeled;
    switch (instruction.kind) {
      case 'forward': {
        const { layer } = instruction;
        const next = encodeOnionFrame(layer.ciphertext, {
          ephemeral_key: toHex(layer.ephemeralKey),
          enc_type: layer.encType,
          hop_no: hopNo + 1,
        });
        return this.nextHop.forward(toHex(instruction.destination), next);
      }
      case 'proxy': {
        // Plain text, not encrypted: the client holds only the server's layer key, not this relay's.
        if (!isAllowedProxyTarget(instruction.protocol, instruction.target) || !this.proxy.isAllowed(instruction)) {
          return pathError(400, 'Invalid url', 'bad_request');
        }
        return this.proxy.post(instruction, instruction.body);
      }
      case 'deliver':
        // Relays hold no messages: a layer meant for a storage node was sent to the wrong key.
        return pathError(400, 'Invalid request: this node is a relay, not a storage node', 'bad_request');
    }
  }
}
