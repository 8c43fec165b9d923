// Onion requests addressed to this server (sogs-fileserver.md 3, storage-onion.md 3.6): decrypt
// the layer with the server's X25519 key, decode the v4 (or deprecated v3) request inside,
// dispatch it to the same FileRoutes plain HTTP uses, and encrypt the reply with the client's
// key and enc_type.
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
import type { Logger } from '@starling/platform';
import { errorSummary, type FileRequest, type FileResponse, type FileRoutes } from '../files/file-routes';
import type { FileServerMetrics } from '../metrics';
import { bufferOf } from './read-capped';

/** What goes back over HTTP to the exit relay. */
export interface OnionHttpReply {
  status: number;
  contentType: string;
  body: Buffer;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT']);

export class OnionHandler {
  constructor(
    private readonly serverKey: X25519KeyPair,
    private readonly routes: FileRoutes,
    private readonly metrics: FileServerMetrics,
    private readonly log: Logger,
  ) {}

  /** POST /oxen/v4/lsrpc: the reply is the raw encrypted v4 response. */
  async handleV4(body: Uint8Array): Promise<OnionHttpReply> {
    const opened = this.open(body, 'v4');
    if ('reply' in opened) return opened.reply;
    let request: FileRequest;
    try {
      const v4 = decodeV4Request(opened.plaintext);
      request = innerRequest(v4.meta.method, v4.meta.endpoint, v4.meta.headers, v4.body ?? new Uint8Array(0));
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.metrics.onion('v4', 'bad_request');
      this.metrics.rejected('bad_onion_request');
      return sealed(opened.replyKey, encodeV4Response(v4BadRequestResponse()));
    }
    const response = await this.routes.dispatch(request);
    this.metrics.onion('v4', 'ok');
    const v4Reply = encodeV4Response({ code: response.status, headers: response.headers, body: await bufferOf(response.body) });
    return sealed(opened.replyKey, v4Reply);
  }

  /**
   * POST /oxen/v3/lsrpc, /loki/v3/lsrpc (deprecated): the body is a JSON string; the reply is
   * base64 of the encrypted response body on 200, else of {"status_code": N}.
   */
  async handleV3(body: Uint8Array): Promise<OnionHttpReply> {
    const opened = this.open(body, 'v3');
    if ('reply' in opened) return opened.reply;
    let response: FileResponse;
    try {
      const v3 = decodeV3Request(opened.plaintext);
      const method = v3.method.toUpperCase();
      if (!METHODS_WITH_BODY.has(method) && v3.body !== undefined && v3.body !== '' && v3.body !== 'null') {
        throw new CryptoError('MALFORMED', `a ${method} request must not carry a body`);
      }
      const endpoint = v3.endpoint.startsWith('/') ? v3.endpoint : `/${v3.endpoint}`;
      const inner = Buffer.from(METHODS_WITH_BODY.has(method) ? (v3.body ?? '') : '', 'utf8');
      response = await this.routes.dispatch(innerRequest(method, endpoint, v3.headers ?? {}, inner));
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.metrics.onion('v3', 'bad_request');
      this.metrics.rejected('bad_onion_request');
      return this.v3Reply(opened.replyKey, Buffer.from(JSON.stringify({ status_code: 400 })));
    }
    this.metrics.onion('v3', 'ok');
    const payload = response.status === 200 ? await bufferOf(response.body) : Buffer.from(JSON.stringify({ status_code: response.status }));
    return this.v3Reply(opened.replyKey, payload);
  }

  /** Decrypts the layer; a body that is not ours to read gets a plain (unencrypted) 400. */
  private open(body: Uint8Array, version: 'v3' | 'v4'): { plaintext: Uint8Array; replyKey: LayerKey } | { reply: OnionHttpReply } {
    try {
      return decryptOnionRequest(this.serverKey, body);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.log.info({ version, reason: errorSummary(err) }, 'onion request refused');
      this.metrics.onion(version, 'bad_ciphertext');
      this.metrics.rejected('bad_onion_request');
      const text = err.code === 'DECRYPT_FAILED' ? 'Invalid ciphertext' : 'Invalid onion request';
      return { reply: { status: 400, contentType: 'text/plain; charset=utf-8', body: Buffer.from(text, 'utf8') } };
    }
  }

  private v3Reply(replyKey: LayerKey, payload: Uint8Array): OnionHttpReply {
    const encrypted = encryptLayer(replyKey, payload);
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: Buffer.from(toBase64(encrypted), 'ascii') };
  }
}

function sealed(replyKey: LayerKey, plaintext: Uint8Array): OnionHttpReply {
  return { status: 200, contentType: 'application/octet-stream', body: Buffer.from(encryptLayer(replyKey, plaintext)) };
}

/** The request inside an onion layer as the dispatcher sees it: endpoint split at '?'. */
function innerRequest(method: string, endpoint: string, headers: Record<string, string>, body: Uint8Array): FileRequest {
  const lowerHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowerHeaders[name.toLowerCase()] = value;
  // The declared length of the outer request says nothing about the inner body.
  delete lowerHeaders['content-length'];
  const query = endpoint.indexOf('?');
  return {
    method: method.toUpperCase(),
    path: query < 0 ? endpoint : endpoint.slice(0, query),
    headers: lowerHeaders,
    body: [body],
  };
}
