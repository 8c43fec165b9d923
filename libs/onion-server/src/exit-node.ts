// What an exit node POSTs to a server behind it, built only from @starling/crypto: the client's
// payload wrapped for a one-relay path, the relay's layer peeled as an exit node peels it. For
// tests of an onion endpoint, which must see exactly those bytes.
import { buildOnionRequest, generateOnionKeyPair, parseOnionEnvelope, peelOnionLayer, type LayerKey, type OnionEncType } from '@starling/crypto';

export interface OnionServerAddress {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  /** The server's onion key. */
  x25519: Uint8Array;
}

export interface ExitNodePost {
  /** The path the exit node POSTs to, as the client named it. */
  target: string;
  body: Uint8Array;
  /** What the client decrypts the answer with. */
  responseKey: LayerKey;
}

export function exitNodePost(server: OnionServerAddress, payload: Uint8Array, encType: OnionEncType, target = '/oxen/v4/lsrpc'): ExitNodePost {
  const relay = generateOnionKeyPair();
  const built = buildOnionRequest({
    path: [{ x25519: relay.publicKey, ed25519: new Uint8Array(32) }],
    destination: { kind: 'server', ...server, target },
    payload,
    encType,
  });
  const { instruction } = peelOnionLayer(relay, parseOnionEnvelope(built.body).layer);
  if (instruction.kind !== 'proxy') throw new Error(`expected a proxy instruction, got ${instruction.kind}`);
  return { target: instruction.target, body: instruction.body, responseKey: built.responseKey };
}
