// The last hop of an onion request addressed to this storage node (storage-onion.md 3.5): decrypt
// the layer with the node's X25519 key, run the storage RPC inside it exactly as /storage_rpc/v1
// would, and answer encrypted with the same layer key. Decryption failures are answered in plain
// text (the client cannot have a key for them); everything after decryption is encrypted.
import {
  CryptoError,
  encodeSnodeOnionReply,
  parseOnionEnvelope,
  peelOnionLayer,
  X25519KeyPair,
} from '@starling/crypto';
import { stringifyAnswer } from '../rpc/answer-json';
import { parseRpcJson } from '../rpc/json-body';
import type { RpcResult } from '../rpc/method';

export interface OnionAnswer {
  status: number;
  body: Uint8Array;
}

export type RunRpc = (method: unknown, params: unknown) => Promise<RpcResult>;

export async function answerOnionRequest(keys: X25519KeyPair, payload: Uint8Array, runRpc: RunRpc): Promise<OnionAnswer> {
  let peeled: ReturnType<typeof peelOnionLayer>;
  try {
    peeled = peelOnionLayer(keys, parseOnionEnvelope(payload).layer);
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'DECRYPT_FAILED') return plain(400, 'Invalid ciphertext');
    return plain(400, `Error parsing onion request: ${(err as Error).message}`);
  }
  const { instruction, replyKey } = peeled;
  if (instruction.kind !== 'deliver') {
    // Storage nodes are destinations only; relaying is the relays' job.
    return plain(400, 'Invalid request: this storage node does not relay onion requests');
  }
  const options = { json: instruction.json, base64: instruction.base64 };
  const request = parseRpcJson(Buffer.from(instruction.request).toString('utf8'));
  let result: RpcResult;
  if (!request.ok || typeof request.value !== 'object' || request.value === null || Array.isArray(request.value)) {
    result = { status: 400, body: 'Invalid json' };
  } else {
    const { method, params } = request.value as { method?: unknown; params?: unknown };
    result = await runRpc(method, params);
  }
  // As text, the body is what the reply would stringify; the json form embeds it as an object.
  const text = typeof result.body === 'string' ? result.body : stringifyAnswer(result.body);
  const body = options.json && typeof result.body !== 'string' ? (JSON.parse(text) as object) : text;
  return { status: 200, body: encodeSnodeOnionReply(replyKey, { status: result.status, body }, options) };
}

function plain(status: number, message: string): OnionAnswer {
  return { status, body: Buffer.from(message, 'utf8') };
}
