// The client and exit-node side of an onion request to the file server: what an exit node POSTs
// (from @starling/onion-server's exitNodePost), and the client's reading of the answer.
import {
  decodeV4Response,
  decryptOnionResponse,
  encodeV3Request,
  encodeV4Request,
  fromHex,
  type OnionEncType,
  type V3Request,
  type V4Request,
  type V4Response,
} from '@starling/crypto';
import { exitNodePost, type ExitNodePost } from '@starling/onion-server';
import type { FileServer } from '../../src/file-server';

/** Wraps `payload` for the server through one relay and peels the relay layer. */
export function exitPost(server: Pick<FileServer, 'url' | 'publicKeyHex'>, payload: Uint8Array, encType: OnionEncType, target = '/oxen/v4/lsrpc'): ExitNodePost {
  const url = new URL(server.url);
  return exitNodePost({ host: url.hostname, port: Number(url.port), protocol: 'http', x25519: fromHex(server.publicKeyHex, 32) }, payload, encType, target);
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
