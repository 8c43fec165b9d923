// The client's side of an onion request (storage-onion.md 3.4): layers are built from the
// destination outwards, each with a fresh ephemeral key, and only the destination's layer key is
// kept, because the destination alone encrypts the reply.
import { requireBytes, toHex } from './encoding';
import { CryptoError } from './errors';
import { encodeOnionFrame } from './onion-framing';
import { MAX_ONION_HOPS } from './onion-hop';
import {
  clientLayerKey,
  DEFAULT_ONION_ENC_TYPE,
  encryptLayer,
  generateOnionKeyPair,
  LayerKey,
  OnionEncType,
} from './onion-layer';

/** A relay or storage node: both public keys (layers use X25519, routing names the Ed25519). */
export interface OnionNodeKeys {
  x25519: Uint8Array;
  ed25519: Uint8Array;
}

export type OnionDestination =
  /** A storage node; `payload` is its storage RPC request (`{"method","params"}` JSON bytes). */
  | ({ kind: 'snode'; json?: boolean; base64?: boolean } & OnionNodeKeys)
  /** An HTTP server reached by the exit relay; `payload` is the v4 (or v3) request. */
  | {
      kind: 'server';
      host: string;
      target: string;
      protocol: 'http' | 'https';
      port: number;
      x25519: Uint8Array;
    };

export interface OnionRequestSpec {
  /** Guard first, exit last. */
  path: OnionNodeKeys[];
  destination: OnionDestination;
  payload: Uint8Array;
  encType?: OnionEncType;
  /** Starting hop counter, so the guard cannot tell it is first; sent only when given. */
  hopNo?: number;
}

export interface BuiltOnionRequest {
  /** POST this to the guard's /onion_req/v2. */
  body: Uint8Array;
  /** Decrypts the destination's reply (`decryptOnionResponse`). */
  responseKey: LayerKey;
}

interface Layer {
  ciphertext: Uint8Array;
  ephemeralPublicKey: Uint8Array;
}

export function buildOnionRequest(spec: OnionRequestSpec): BuiltOnionRequest {
  const encType = spec.encType ?? DEFAULT_ONION_ENC_TYPE;
  const { path, destination } = spec;
  if (path.length < 1 || path.length > MAX_ONION_HOPS) {
    throw new CryptoError('MALFORMED', `an onion path needs 1 to ${MAX_ONION_HOPS} relays, got ${path.length}`);
  }
  if (spec.hopNo !== undefined && !(Number.isSafeInteger(spec.hopNo) && spec.hopNo >= 0)) {
    throw new CryptoError('MALFORMED', 'hopNo must be a non-negative integer');
  }
  if (destination.kind === 'server' && !validPort(destination.port)) {
    throw new CryptoError('MALFORMED', `server port must be 1..65535, got ${destination.port}`);
  }

  const destinationEphemeral = generateOnionKeyPair();
  const destinationKey = requireBytes(destination.x25519, 32, 'destination X25519 key');
  const responseKey = clientLayerKey(encType, destinationEphemeral, destinationKey);
  let inner: Layer = {
    ciphertext: encryptLayer(responseKey, destinationPlaintext(destination, spec.payload)),
    ephemeralPublicKey: destinationEphemeral.publicKey,
  };

  // The exit relay's routing names the destination; each earlier relay's names the next relay.
  let routing = exitRouting(destination, inner, encType);
  for (let i = path.length - 1; i >= 0; i--) {
    const ephemeral = generateOnionKeyPair();
    const key = clientLayerKey(encType, ephemeral, requireBytes(path[i].x25519, 32, `hop ${i} X25519 key`));
    inner = {
      ciphertext: encryptLayer(key, encodeOnionFrame(inner.ciphertext, routing)),
      ephemeralPublicKey: ephemeral.publicKey,
    };
    if (i > 0) {
      routing = {
        destination: toHex(requireBytes(path[i].ed25519, 32, `hop ${i} Ed25519 key`)),
        ephemeral_key: toHex(inner.ephemeralPublicKey),
        enc_type: encType,
      };
    }
  }

  const outer: Record<string, unknown> = { ephemeral_key: toHex(inner.ephemeralPublicKey), enc_type: encType };
  if (spec.hopNo !== undefined) outer.hop_no = spec.hopNo;
  return { body: encodeOnionFrame(inner.ciphertext, outer), responseKey };
}

/** What the destination decrypts: a framed request for a storage node, the bare request for a server. */
function destinationPlaintext(destination: OnionDestination, payload: Uint8Array): Uint8Array {
  if (destination.kind === 'server') return payload;
  const control: Record<string, unknown> = { headers: '' };
  if (destination.json !== undefined) control.json = destination.json;
  if (destination.base64 !== undefined) control.base64 = destination.base64;
  return encodeOnionFrame(payload, control);
}

function exitRouting(destination: OnionDestination, layer: Layer, encType: OnionEncType): Record<string, unknown> {
  const keyFields = { ephemeral_key: toHex(layer.ephemeralPublicKey), enc_type: encType };
  if (destination.kind === 'snode') {
    return { destination: toHex(requireBytes(destination.ed25519, 32, 'destination Ed25519 key')), ...keyFields };
  }
  return {
    host: destination.host,
    target: destination.target,
    method: 'POST',
    protocol: destination.protocol,
    port: destination.port,
    ...keyFields,
  };
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}
