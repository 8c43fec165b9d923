// Three nodes' hops peel a real 3-hop onion request, hop by hop, with the same code that
// serves /onion_req/v2 and RelayService; the exit proxies to a real HTTP server that decrypts its
// layer. Only the relay-to-relay transport is in process here (the network tests cover gRPC).
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import {
  buildOnionRequest,
  encodeOnionFrame,
  parseOnionEnvelope,
  parseSnodeOnionReply,
  peelOnionLayer,
  type LayerKey,
  decodeV4Request,
  decodeV4Response,
  decryptOnionRequest,
  decryptOnionResponse,
  encodeV4Request,
  encodeV4Response,
  encryptLayer,
  generateOnionKeyPair,
  identityFromSeed,
  Identity,
  OnionEncType,
  ready,
  toHex,
} from '@starling/crypto';
import { pathError } from './hop-reply';
import { HttpProxy } from './http-proxy';
import { OnionHop } from './onion-hop';

const relayIdentity = (n: number): Identity => identityFromSeed(new Uint8Array(32).fill(n));

describe('an onion request through three relays', () => {
  let relays: Identity[];
  let routers: Map<string, OnionHop>;
  let server: Server;
  let serverPort: number;
  let serverKeys: ReturnType<typeof generateOnionKeyPair>;
  let serverDelayMs = 0;
  let serverReplyBytes = 0;

  const proxyFor = (allow: string, timeoutMs = 2_000, maxBytes = 64 * 1024) => new HttpProxy(allow, timeoutMs, maxBytes);

  function wire(proxy: HttpProxy) {
    routers = new Map();
    for (const r of relays) {
      routers.set(
        toHex(r.ed25519.publicKey),
        new OnionHop(
          r.x25519,
          { forward: (ed, blob) => routers.get(ed)?.handle(blob) ?? Promise.resolve(pathError(502, `Next node not found: ${ed}`, 'next_node_not_found')) },
          proxy,
          { deliver: () => Promise.reject(new Error('no request here ends at a relay')) },
        ),
      );
    }
  }

  const guard = () => routers.get(toHex(relays[0].ed25519.publicKey))!;
  const path = () => relays.map((r) => ({ x25519: r.x25519.publicKey, ed25519: r.ed25519.publicKey }));

  function serverRequest(encType: OnionEncType, target = '/oxen/v4/lsrpc') {
    const payload = encodeV4Request({ meta: { method: 'GET', endpoint: '/file/1', headers: { a: 'b' } } });
    return buildOnionRequest({
      path: path(),
      destination: { kind: 'server', host: '127.0.0.1', port: serverPort, protocol: 'http', target, x25519: serverKeys.publicKey },
      payload,
      encType,
    });
  }

  beforeAll(async () => {
    await ready();
    relays = [relayIdentity(1), relayIdentity(2), relayIdentity(3)];
    serverKeys = generateOnionKeyPair();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const { plaintext, replyKey } = decryptOnionRequest(serverKeys, Buffer.concat(chunks));
        const request = decodeV4Request(plaintext);
        const body = serverReplyBytes > 0 ? Buffer.alloc(serverReplyBytes, 1) : Buffer.from(JSON.stringify({ endpoint: request.meta.endpoint }));
        const sealed = encryptLayer(replyKey, encodeV4Response({ code: 200, headers: { 'content-type': 'application/json' }, body }));
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(sealed)), serverDelayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverPort = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    serverDelayMs = 0;
    serverReplyBytes = 0;
    wire(proxyFor(`127.0.0.1:${0}`.replace(':0', `:${serverPort}`)));
  });

  it.each<OnionEncType>(['aes-gcm', 'xchacha20'])('reaches an allowed server and brings its %s reply back', async (encType) => {
    const request = serverRequest(encType);
    const outcome = await guard().handle(request.body);
    expect(outcome.status).toBe(200);
    const reply = decodeV4Response(decryptOnionResponse(request.responseKey, outcome.body, 'binary'));
    expect(reply.code).toBe(200);
    expect(JSON.parse(Buffer.from(reply.body!).toString())).toEqual({ endpoint: '/file/1' });
  });

  it('answers "Invalid ciphertext" in plain text when a byte of the layer is changed', async () => {
    const body = Buffer.from(serverRequest('aes-gcm').body);
    body[10] ^= 0x01;
    const outcome = await guard().handle(body);
    expect(outcome.status).toBe(400);
    expect(Buffer.from(outcome.body).toString()).toBe('Invalid ciphertext');
  });

  it('passes back "Next node not found" with the missing key when a relay is not in the map', async () => {
    const request = serverRequest('aes-gcm');
    routers.delete(toHex(relays[2].ed25519.publicKey));
    const outcome = await guard().handle(request.body);
    expect(outcome.status).toBe(502);
    expect(Buffer.from(outcome.body).toString()).toBe(`Next node not found: ${toHex(relays[2].ed25519.publicKey)}`);
  });

  it('refuses a request that claims to have taken the maximum number of hops', async () => {
    const request = buildOnionRequest({
      path: path(),
      destination: { kind: 'server', host: '127.0.0.1', port: serverPort, protocol: 'http', target: '/oxen/v4/lsrpc', x25519: serverKeys.publicKey },
      payload: encodeV4Request({ meta: { method: 'GET', endpoint: '/', headers: {} } }),
      hopNo: 15,
    });
    const outcome = await guard().handle(request.body);
    expect(outcome.status).toBe(400);
    expect(Buffer.from(outcome.body).toString()).toBe('onion request max path length exceeded');
  });

  it.each([
    ['an empty body', Buffer.alloc(0)],
    ['a length prefix past the end', Buffer.from([0xff, 0xff, 0, 0, 1, 2, 3])],
    ['no JSON after the ciphertext', Buffer.from([1, 0, 0, 0, 9])],
    ['JSON without an ephemeral key', Buffer.concat([Buffer.from([1, 0, 0, 0, 9]), Buffer.from('{"enc_type":"aes-gcm"}')])],
    ['an unknown cipher', Buffer.concat([Buffer.from([1, 0, 0, 0, 9]), Buffer.from(`{"ephemeral_key":"${'ab'.repeat(32)}","enc_type":"rot13"}`)])],
  ])('refuses %s with a 400 naming the problem', async (_name, body) => {
    const outcome = await guard().handle(body);
    expect(outcome.status).toBe(400);
    expect(Buffer.from(outcome.body).toString()).toMatch(/^Error parsing onion request: /);
  });

  /** The key the exit shares with the client for its own layer (what it seals refusals with). */
  function exitLayerKey(body: Uint8Array): LayerKey {
    let blob = body;
    for (const relay of relays) {
      const { instruction, replyKey } = peelOnionLayer(relay.x25519, parseOnionEnvelope(blob).layer);
      if (instruction.kind !== 'forward') return replyKey;
      blob = encodeOnionFrame(instruction.layer.ciphertext, { ephemeral_key: toHex(instruction.layer.ephemeralKey), enc_type: instruction.layer.encType });
    }
    throw new Error('no exit layer');
  }

  it('answers "Invalid url" for a target that is not an lsrpc endpoint, or a host off the allow-list, sealed in an HTTP 200 as upstream', async () => {
    for (const [allow, target] of [
      [`127.0.0.1:${serverPort}`, '/admin/secret'],
      ['files.example:443', '/oxen/v4/lsrpc'],
    ]) {
      wire(proxyFor(allow));
      const request = serverRequest('xchacha20', target);
      const outcome = await guard().handle(request.body);
      // The path worked: the client must not blame (and drop) it.
      expect(outcome.status).toBe(200);
      const reply = parseSnodeOnionReply(decryptOnionResponse(exitLayerKey(request.body), outcome.body, 'base64'));
      expect(reply).toEqual({ status: 400, body: 'Invalid url' });
    }
  });

  it('answers 504 "Request time out" when the server is slower than the proxy deadline', async () => {
    wire(proxyFor(`127.0.0.1:${serverPort}`, 100));
    serverDelayMs = 1_000;
    const outcome = await guard().handle(serverRequest('aes-gcm').body);
    expect(outcome.status).toBe(504);
    expect(Buffer.from(outcome.body).toString()).toBe('Request time out');
  });

  it('refuses to pass back a server reply larger than the cap', async () => {
    wire(proxyFor(`127.0.0.1:${serverPort}`, 2_000, 2_048));
    serverReplyBytes = 10_000;
    const outcome = await guard().handle(serverRequest('aes-gcm').body);
    expect(outcome.status).toBe(502);
    expect(Buffer.from(outcome.body).toString()).toBe('Proxy response too large');
  });
});
