// The onion endpoint of an HTTP server behind the exit node (file server, community server, push
// server; sogs-fileserver 3): decrypt the layer addressed to the server, decode the v4 (or
// deprecated v3) request inside, run it through the server's own route table exactly as a direct
// request, and seal the answer with the client's key. Written once for every such server.
import {
  CryptoError,
  decodeV3Request,
  decodeV4Request,
  decryptOnionRequest,
  encodeV4Response,
  encryptLayer,
  toBase64,
  v4BadRequestResponse,
  type LayerKey,
  type X25519KeyPair,
} from '@starling/crypto';
import { bytesReply, isSuccess, OCTET_TYPE, splitTarget, textReply, TEXT_TYPE, type EdgeRequest, type ExactRoute, type Reply } from '@starling/platform';

export const ONION_VERSIONS = ['v3', 'v4'] as const;
export type OnionVersion = (typeof ONION_VERSIONS)[number];
export const ONION_OUTCOMES = ['ok', 'bad_ciphertext', 'bad_request'] as const;
export type OnionOutcome = (typeof ONION_OUTCOMES)[number];

export interface OnionEndpointOptions {
  /** The server's onion key (the one in its join URL or attachment links). */
  keys: X25519KeyPair;
  /** Runs one inner request through the server's routes, as a direct request would be. */
  dispatch: (req: EdgeRequest) => Promise<Reply>;
  /**
   * Where a v3 endpoint without a leading `/` (the legacy API) goes: `/legacy/` on a community
   * server (its v2 API), `/` on the file server (whose old endpoints had no slash).
   */
  legacyPrefix: string;
  /** Counts each onion request by version and outcome. */
  observe?: (version: OnionVersion, outcome: OnionOutcome) => void;
}

/** Methods whose v3 request may carry a body; on the others only a literal "null" is tolerated (an old Android quirk). */
const BODY_METHODS = new Set(['POST', 'PUT']);

export class OnionEndpoint {
  constructor(private readonly options: OnionEndpointOptions) {}

  routes(maxBodyBytes: number): ExactRoute[] {
    return [
      { method: 'POST', path: '/oxen/v4/lsrpc', maxBodyBytes, handle: (req) => this.v4(req.body) },
      { method: 'POST', path: '/oxen/v3/lsrpc', maxBodyBytes, handle: (req) => this.v3(req.body) },
      { method: 'POST', path: '/loki/v3/lsrpc', maxBodyBytes, handle: (req) => this.v3(req.body) },
    ];
  }

  /** The reply is the encrypted v4 response, raw. */
  async v4(body: Uint8Array): Promise<Reply> {
    const opened = this.open(body, 'v4');
    if ('refusal' in opened) return opened.refusal;
    let inner: EdgeRequest;
    try {
      const request = decodeV4Request(opened.plaintext);
      inner = innerRequest(request.meta.method, request.meta.endpoint, request.meta.headers, request.body);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.options.observe?.('v4', 'bad_request');
      return sealed(opened.replyKey, encodeV4Response(v4BadRequestResponse()));
    }
    const reply = await this.options.dispatch(inner);
    this.options.observe?.('v4', 'ok');
    return sealed(opened.replyKey, encodeV4Response({ code: reply.status, headers: reply.headers, body: reply.body }));
  }

  /** Deprecated v3: the body of a 2xx answer, else {"status_code": N}, encrypted and base64-encoded. */
  async v3(body: Uint8Array): Promise<Reply> {
    const opened = this.open(body, 'v3');
    if ('refusal' in opened) return opened.refusal;
    let inner: EdgeRequest;
    try {
      const request = decodeV3Request(opened.plaintext);
      const method = request.method.toUpperCase();
      const hasBody = request.body !== undefined && request.body !== '' && request.body !== 'null';
      if (hasBody && !BODY_METHODS.has(method)) throw new CryptoError('MALFORMED', `a ${method} request cannot have a body`);
      const endpoint = request.endpoint.startsWith('/') ? request.endpoint : `${this.options.legacyPrefix}${request.endpoint}`;
      inner = innerRequest(method, endpoint, request.headers ?? {}, hasBody ? Buffer.from(request.body!, 'utf8') : undefined);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.options.observe?.('v3', 'bad_request');
      return this.v3Reply(opened.replyKey, statusCode(400));
    }
    const reply = await this.options.dispatch(inner);
    this.options.observe?.('v3', 'ok');
    return this.v3Reply(opened.replyKey, isSuccess(reply) ? reply.body : statusCode(reply.status));
  }

  /** Decrypts the layer; a body that is not ours to read gets a plain (unencrypted) 400. */
  private open(body: Uint8Array, version: OnionVersion): { plaintext: Uint8Array; replyKey: LayerKey } | { refusal: Reply } {
    try {
      return decryptOnionRequest(this.options.keys, body);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.options.observe?.(version, 'bad_ciphertext');
      return { refusal: textReply(400, err.code === 'DECRYPT_FAILED' ? 'Invalid ciphertext' : 'Invalid onion request') };
    }
  }

  private v3Reply(replyKey: LayerKey, payload: Uint8Array): Reply {
    return bytesReply(200, TEXT_TYPE, Buffer.from(toBase64(encryptLayer(replyKey, payload)), 'ascii'));
  }
}

function sealed(replyKey: LayerKey, plaintext: Uint8Array): Reply {
  return bytesReply(200, OCTET_TYPE, encryptLayer(replyKey, plaintext));
}

function statusCode(status: number): Uint8Array {
  return Buffer.from(JSON.stringify({ status_code: status }));
}

/** The inner request as the server's routes see it: lower-case headers, the outer length dropped. */
function innerRequest(method: string, endpoint: string, headers: Record<string, string>, body: Uint8Array | undefined): EdgeRequest {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  delete lower['content-length'];
  return { method: method.toUpperCase(), ...splitTarget(endpoint), headers: lower, body: body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.alloc(0) };
}
