// POST /oxen/v4/lsrpc (and the v3 aliases): decrypt the layer addressed to this server, run the
// inner request through the same dispatcher as direct HTTP, and seal the reply with the same key.
import {
  CryptoError,
  decodeV3Request,
  decodeV4Request,
  decryptOnionRequest,
  encodeV4Response,
  encryptLayer,
  v4BadRequestResponse,
  type LayerKey,
  type X25519KeyPair,
} from '@starling/crypto';
import { badRequest, HttpError } from '../http/errors';
import type { Dispatcher } from '../http/dispatcher';
import type { RouteDef } from '../http/router';
import { OCTET_TYPE, SogsRequest, SogsResponse, splitTarget, TEXT_TYPE } from '../http/types';
import { parseMethod, relayedHeaders } from '../batch/subrequest';
import type { OpenGroupsMetrics } from '../ops/metrics';

export class OnionHandler {
  constructor(
    private readonly keys: X25519KeyPair,
    private readonly dispatcher: () => Dispatcher,
    private readonly metrics: OpenGroupsMetrics,
  ) {}

  routes(): RouteDef[] {
    return [
      { method: 'POST', pattern: '/oxen/v4/lsrpc', handler: ({ req }) => this.v4(req.body) },
      { method: 'POST', pattern: '/oxen/v3/lsrpc', handler: ({ req }) => this.v3(req.body) },
      { method: 'POST', pattern: '/loki/v3/lsrpc', handler: ({ req }) => this.v3(req.body) },
    ];
  }

  private open(body: Buffer): { plaintext: Uint8Array; replyKey: LayerKey } {
    try {
      return decryptOnionRequest(this.keys, body);
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.metrics.rejections.inc({ reason: 'onion_undecryptable' });
      throw badRequest('Invalid onion request');
    }
  }

  async v4(body: Buffer): Promise<SogsResponse> {
    const { plaintext, replyKey } = this.open(body);
    let inner: SogsRequest | undefined;
    try {
      const request = decodeV4Request(plaintext);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.meta.headers)) headers[k.toLowerCase()] = v;
      inner = {
        method: parseMethod(request.meta.method),
        ...splitTarget(request.meta.endpoint),
        headers,
        body: request.body ? Buffer.from(request.body) : Buffer.alloc(0),
      };
    } catch (err) {
      if (!(err instanceof CryptoError) && !(err instanceof HttpError)) throw err;
      this.metrics.rejections.inc({ reason: 'onion_bad_v4' });
    }
    let reply: Uint8Array;
    if (!inner) {
      reply = encodeV4Response(v4BadRequestResponse());
    } else {
      const res = await this.dispatcher().handle(inner, 'onion');
      reply = encodeV4Response({ code: res.status, headers: relayedHeaders(res), body: res.body });
    }
    return { status: 200, headers: { 'content-type': OCTET_TYPE }, body: Buffer.from(encryptLayer(replyKey, reply)) };
  }

  /** Deprecated v3: JSON inside; reply is the raw body on 2xx, else {"status_code"}; base64 text. */
  async v3(body: Buffer): Promise<SogsResponse> {
    const { plaintext, replyKey } = this.open(body);
    let replyBody: Buffer;
    try {
      const request = decodeV3Request(plaintext);
      const method = parseMethod(request.method);
      // A literal "null" body on GET is an old Android quirk; any other body there is an error.
      const hasBody = request.body !== undefined && !(method === 'GET' && request.body === 'null');
      if (hasBody && (method === 'GET' || method === 'DELETE')) throw badRequest('GET/DELETE cannot have a body');
      const endpoint = request.endpoint.startsWith('/') ? request.endpoint : `/legacy/${request.endpoint}`;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
      const res = await this.dispatcher().handle(
        { method, ...splitTarget(endpoint), headers, body: hasBody ? Buffer.from(request.body!, 'utf8') : Buffer.alloc(0) },
        'onion',
      );
      replyBody = res.status >= 200 && res.status < 300 ? res.body : Buffer.from(JSON.stringify({ status_code: res.status }));
    } catch (err) {
      if (!(err instanceof CryptoError) && !(err instanceof HttpError)) throw err;
      replyBody = Buffer.from(JSON.stringify({ status_code: 400 }));
    }
    const sealed = Buffer.from(encryptLayer(replyKey, replyBody)).toString('base64');
    return { status: 200, headers: { 'content-type': TEXT_TYPE }, body: Buffer.from(sealed) };
  }
}
