// The receiving side of an onion layer: a relay, a storage node or an HTTP server decrypts the layer
// addressed to it and learns what to do next (storage-onion.md 3.3, sogs-fileserver.md 3.2).
import { fromHex } from './encoding';
import { CryptoError } from './errors';
import { decodeOnionFrame, MAX_ONION_REQUEST_BYTES } from './onion-framing';
import { X25519KeyPair } from './identity';
import { decryptLayer, hopLayerKey, LayerKey, OnionEncType, parseEncType } from './onion-layer';

/** Above this `hop_no` a relay refuses to forward ("onion request max path length exceeded"). */
export const MAX_ONION_HOPS = 15;

/** An encrypted layer as it reaches a hop: from a POSTed blob, or from a relay forward. */
export interface EncryptedLayer {
  ciphertext: Uint8Array;
  ephemeralKey: Uint8Array;
  encType: OnionEncType;
}

/** What the decrypted layer tells this hop to do; checked in the protocol's order. */
export type HopInstruction =
  /** This node is the final destination: `request` is the client's (storage RPC) request. */
  | { kind: 'deliver'; request: Uint8Array; json: boolean; base64: boolean }
  /** POST `body` (the whole decrypted layer) to protocol://host:port/target. */
  | {
      kind: 'proxy';
      host: string;
      target: string;
      protocol: string;
      port: number;
      body: Uint8Array;
    }
  /** Forward `layer` to the node with Ed25519 key `destination`. */
  | { kind: 'forward'; destination: Uint8Array; layer: EncryptedLayer };

export interface PeeledLayer {
  instruction: HopInstruction;
  /** Encrypts this hop's reply when it is the destination (`encryptLayer(replyKey, …)`). */
  replyKey: LayerKey;
}

/**
 * Reads a POSTed onion body (the guard's `/onion_req/v2` body, or a server's `/oxen/v4/lsrpc`
 * body): `ephemeral_key` hex is required, `enc_type` defaults to aes-gcm, `hop_no` is optional.
 */
export function parseOnionEnvelope(
  body: Uint8Array,
  maxBytes = MAX_ONION_REQUEST_BYTES,
): { layer: EncryptedLayer; hopNo?: number } {
  const { payload, meta } = decodeOnionFrame(body, maxBytes);
  const hopNo = meta.hop_no;
  if (hopNo !== undefined && !(Number.isSafeInteger(hopNo) && (hopNo as number) >= 0)) {
    throw new CryptoError('MALFORMED', 'hop_no must be a non-negative integer');
  }
  return {
    layer: { ciphertext: payload, ...layerKeyFields(meta) },
    ...(hopNo === undefined ? {} : { hopNo: hopNo as number }),
  };
}

/** Decrypts the layer with this hop's X25519 pair and classifies what is inside. */
export function peelOnionLayer(hop: X25519KeyPair, layer: EncryptedLayer): PeeledLayer {
  const replyKey = hopLayerKey(layer.encType, hop, layer.ephemeralKey);
  const plaintext = decryptLayer(replyKey, layer.ciphertext);
  return { instruction: readHopInstruction(plaintext), replyKey };
}

/**
 * Server side (file server, community server): parse the POSTed body and decrypt it with the
 * server's X25519 pair. The plaintext is the v4 (or v3) request; reply with `replyKey`.
 */
export function decryptOnionRequest(
  server: X25519KeyPair,
  body: Uint8Array,
  maxBytes = MAX_ONION_REQUEST_BYTES,
): { plaintext: Uint8Array; replyKey: LayerKey } {
  const { layer } = parseOnionEnvelope(body, maxBytes);
  const replyKey = hopLayerKey(layer.encType, server, layer.ephemeralKey);
  return { plaintext: decryptLayer(replyKey, layer.ciphertext), replyKey };
}

/** Classifies a decrypted layer: `headers` → deliver, `host` → proxy, otherwise forward. */
export function readHopInstruction(plaintext: Uint8Array): HopInstruction {
  const { payload, meta } = decodeOnionFrame(plaintext);
  if (Object.hasOwn(meta, 'headers')) {
    return {
      kind: 'deliver',
      request: payload,
      json: optionalBoolean(meta, 'json', false),
      base64: optionalBoolean(meta, 'base64', true),
    };
  }
  if (Object.hasOwn(meta, 'host')) {
    const protocol = meta.protocol ?? 'https';
    const port = meta.port ?? 443;
    if (typeof protocol !== 'string') throw new CryptoError('MALFORMED', 'protocol must be a string');
    if (!(Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536)) {
      throw new CryptoError('MALFORMED', 'port must be an integer between 1 and 65535');
    }
    return {
      kind: 'proxy',
      host: requiredString(meta, 'host'),
      target: requiredString(meta, 'target'),
      protocol,
      port: port as number,
      body: plaintext,
    };
  }
  const destination = fromHex(requiredString(meta, 'destination'), 32);
  return { kind: 'forward', destination, layer: { ciphertext: payload, ...layerKeyFields(meta) } };
}

/**
 * The storage server's rule for where an exit hop may proxy: http(s) only, a `/loki/` or `/oxen/`
 * path ending in `/lsrpc`, no query. Anything else gets an encrypted 400 "Invalid url".
 */
export function isAllowedProxyTarget(protocol: string, target: string): boolean {
  return (
    (protocol === 'http' || protocol === 'https') &&
    (target.startsWith('/loki/') || target.startsWith('/oxen/')) &&
    target.endsWith('/lsrpc') &&
    !target.includes('?')
  );
}

function layerKeyFields(meta: Record<string, unknown>): Omit<EncryptedLayer, 'ciphertext'> {
  return {
    ephemeralKey: fromHex(requiredString(meta, 'ephemeral_key'), 32),
    encType: parseEncType(meta.enc_type),
  };
}

function requiredString(meta: Record<string, unknown>, field: string): string {
  const value = meta[field];
  if (typeof value !== 'string') throw new CryptoError('MALFORMED', `onion layer needs a string "${field}"`);
  return value;
}

function optionalBoolean(meta: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = meta[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new CryptoError('MALFORMED', `"${field}" must be a boolean`);
  return value;
}
