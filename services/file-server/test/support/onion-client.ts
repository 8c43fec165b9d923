// The client and relay side of an onion request to the file server, built only from
// @starling/crypto: the client wraps the request for a one-relay path, the "relay" peels its
// layer exactly as an exit relay does, and the test POSTs what the relay would POST.
import {
  buildOnionRequest,
  decodeV4Response,
  decryptOnionResponse,
  encodeV3Request,
  encodeV4Request,
  fromHex,
  generateOnionKeyPair,
  peelOnionLayer,
  parseOnionEnvelope,
  type LayerKey,
  type OnionEncType,
  type V3Request,
  type V4Request,
  type V4Response,
} from '@starling/crypto';
import type { FileServer } from '../../src/file-server';

export interface ExitPost {
  /** Path the exit relay POSTs to, from the routing JSON. */
  target: string;
  /** The whole decrypted relay layer: [N][CT for the server]{ephemeral_key, enc_type, ...}. */
  body: Uint8Array;
  responseKey: LayerKey;
}

/** Wraps `payload` for the server through one relay and peels the relay layer. */
export function exitPost(server: FileServer, payload: Uint8Array, encType: OnionEncType, target = '/oxen/v4/lsrpc'): ExitPost {
  const relay = generateOnionKeyPair();
  const url = new URL(server.url);
  const built = buildOnionRequest({
    path: [{ x25519: relay.publicKey, ed25519: new Uint8Array(32) }],
    destination: { kind: 'server', host: url.hostname, target, protocol: 'http', port: Number(url.port), x25519: fromHex(server.publicKeyHex, 32) },
    payload,
    encType,
  });
  const { layer } = parseOnionEnvelope(built.body);
  const { instruction } = peelOnionLayer(relay, layer);
  if (instruction.kind !== 'proxy') throw new Error(`expected a proxy instruction, got ${instruction.kind}`);
  return { target: instruction.target, body: instruction.body, responseKey: built.responseKey };
}

export async function postToServer(server: FileServer, target: string, body: Uint8Array): Promise<Response> {
  return fetch(`${server.url}${target}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
}

/** One v4 request through the onion endpoint; the decrypted v4 response. */
export async function onionV4(server: FileServer, request: V4Request, encType: OnionEncType): Promise<V4Response> {
  const post = exitPost(server, encodeV4Request(request), encType);
  const res = await postToServer(server, post.target, post.body);
  if (res.status !== 200) throw new Error(`onion endpoint answered HTTP ${res.status}: ${await res.text()}`);
  const plaintext = decryptOnionResponse(post.responseKey, new Uint8Array(await res.arrayBuffer()), 'binary');
  return decodeV4Response(plaintext);
}

/** One deprecated v3 request; the decrypted reply body. */
export async function onionV3(server: FileServer, request: V3Request, encType: OnionEncType, target = '/loki/v3/lsrpc'): Promise<Buffer> {
  const post = exitPost(server, encodeV3Request(request), encType, target);
  const res = await postToServer(server, post.target, post.body);
  if (res.status !== 200) throw new Error(`onion endpoint answered HTTP ${res.status}: ${await res.text()}`);
  return Buffer.from(decryptOnionResponse(post.responseKey, await res.text(), 'base64'));
}

export function jsonOf(body: Uint8Array): unknown {
  return JSON.parse(Buffer.from(body).toString('utf8'));
}
