// The client side of onion requests to the community server, as a Session client makes them:
// the layer encrypted to the server's key, a v4 (or v3) request inside.
import {
  clientLayerKey,
  decodeV4Response,
  decryptLayer,
  encodeOnionFrame,
  encodeV4Request,
  encryptLayer,
  generateOnionKeyPair,
  signSogsRequest,
  toHex,
  type OnionEncType,
} from '@starling/crypto';
import type { Harness, TestUser } from './helpers';

/** Sends `plaintext` in an onion layer to `target`; `key` opens the answer. */
export async function onion(h: Harness, target: string, plaintext: Uint8Array, encType: OnionEncType, sendEncType = true) {
  const ephemeral = generateOnionKeyPair();
  const key = clientLayerKey(encType, ephemeral, h.serverPk);
  const body = encodeOnionFrame(encryptLayer(key, plaintext), { ephemeral_key: toHex(ephemeral.publicKey), ...(sendEncType ? { enc_type: encType } : {}) });
  const res = await fetch(h.server.address + target, { method: 'POST', body });
  return { res, raw: Buffer.from(await res.arrayBuffer()), key };
}

/** A v4 inner request, signed by `user` when given. */
export function v4(h: Harness, method: string, endpoint: string, user: TestUser | null, body?: Buffer) {
  const headers: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
  if (user) Object.assign(headers, signSogsRequest(user.secret, { serverPk: h.serverPk, timestamp: h.clock.now(), method, path: endpoint, body }, user.blinding));
  return encodeV4Request({ meta: { method, endpoint, headers }, ...(body ? { body } : {}) });
}

/** One v4 request through /oxen/v4/lsrpc, its answer decoded. */
export async function onionV4(h: Harness, method: string, endpoint: string, user: TestUser | null, body?: Buffer) {
  const { raw, key } = await onion(h, '/oxen/v4/lsrpc', v4(h, method, endpoint, user, body), 'xchacha20');
  return decodeV4Response(decryptLayer(key, raw));
}
