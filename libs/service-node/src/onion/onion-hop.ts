// One hop of an onion path: read the blob, peel this node's layer, and act on what is inside —
// forward to the next node, proxy to an HTTP server, or answer a request addressed to this node.
// Errors are answered the way Session clients parse them (storage-onion 3.7).
import {
  CryptoError,
  encodeOnionFrame,
  isAllowedProxyTarget,
  MAX_ONION_HOPS,
  parseOnionEnvelope,
  peelOnionLayer,
  toHex,
  type X25519KeyPair,
} from '@starling/crypto';
import { sealedReply } from '../rpc/node-rpc';
import { pathError, type HopReply } from './hop-reply';
import type { HttpProxy } from './http-proxy';
import type { NextHop } from './next-hop';

type PeeledLayer = ReturnType<typeof peelOnionLayer>;
/** The request inside a layer addressed to this node, and the key its answer is sealed with. */
export type DeliveredRequest = Extract<PeeledLayer['instruction'], { kind: 'deliver' }> & { replyKey: PeeledLayer['replyKey'] };

/** Answers the request inside the last layer of a path that ends at this node. */
export interface OnionDestination {
  deliver(request: DeliveredRequest): Promise<HopReply>;
}

export class OnionHop {
  constructor(
    private readonly keys: X25519KeyPair,
    private readonly nextHop: Pick<NextHop, 'forward'>,
    private readonly proxy: Pick<HttpProxy, 'isAllowed' | 'post'>,
    private readonly destination: OnionDestination,
  ) {}

  async handle(blob: Uint8Array): Promise<HopReply> {
    let envelope: ReturnType<typeof parseOnionEnvelope>;
    try {
      envelope = parseOnionEnvelope(blob);
    } catch (err) {
      return pathError(400, `Error parsing onion request: ${(err as Error).message}`, 'bad_request');
    }
    const hopNo = envelope.hopNo ?? 0;
    if (hopNo >= MAX_ONION_HOPS) return pathError(400, 'onion request max path length exceeded', 'bad_request');

    let peeled: PeeledLayer;
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
        // Refused as upstream refuses a target: HTTP 200 carrying the error sealed with this
        // layer's key, so the client reads why and does not blame (and drop) its path.
        if (!isAllowedProxyTarget(instruction.protocol, instruction.target) || !this.proxy.isAllowed(instruction)) {
          return { ...sealedReply(peeled.replyKey, 400, 'Invalid url'), outcome: 'bad_request' };
        }
        return this.proxy.post(instruction, instruction.body);
      }
      case 'deliver':
        return this.destination.deliver({ ...instruction, replyKey: peeled.replyKey });
    }
  }
}
