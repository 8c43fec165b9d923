// The onion endpoint against a recording route table: what the exit node POSTs (built with
// @starling/crypto as a client and an exit would), decrypted, dispatched and sealed again.
import {
  decodeV4Response,
  decryptOnionResponse,
  encodeV3Request,
  encodeV4Request,
  generateOnionKeyPair,
  ready,
  type OnionEncType,
  type V3Request,
  type X25519KeyPair,
} from '@starling/crypto';
import { jsonReply, textReply, type EdgeRequest, type Reply } from '@starling/platform';
import { exitNodePost } from './exit-node';
import { OnionEndpoint, type OnionOutcome, type OnionVersion } from './onion-endpoint';

let serverKeys: X25519KeyPair;
const seen: EdgeRequest[] = [];
const observed: string[] = [];
let answer: Reply;

const endpoint = () =>
  new OnionEndpoint({
    keys: serverKeys,
    legacyPrefix: '/legacy/',
    dispatch: async (req) => {
      seen.push(req);
      return answer;
    },
    observe: (version: OnionVersion, outcome: OnionOutcome) => observed.push(`${version} ${outcome}`),
  });

/** What the exit node POSTs for `payload`, and the key the client reads the answer with. */
const exitPost = (payload: Uint8Array, encType: OnionEncType) =>
  exitNodePost({ host: 'example.org', port: 443, protocol: 'https', x25519: serverKeys.publicKey }, payload, encType);

async function v4(payload: Uint8Array, encType: OnionEncType = 'xchacha20') {
  const post = exitPost(payload, encType);
  const reply = await endpoint().v4(post.body);
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/octet-stream');
  return decodeV4Response(decryptOnionResponse(post.responseKey, reply.body, 'binary'));
}

async function v3(request: V3Request): Promise<string> {
  const post = exitPost(encodeV3Request(request), 'aes-gcm');
  const reply = await endpoint().v3(post.body);
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
  return Buffer.from(decryptOnionResponse(post.responseKey, reply.body, 'base64')).toString();
}

beforeAll(async () => {
  await ready();
  serverKeys = generateOnionKeyPair();
});
beforeEach(() => {
  seen.length = 0;
  observed.length = 0;
  answer = jsonReply(200, { ok: true });
});

describe('OnionEndpoint v4', () => {
  it.each<OnionEncType>(['xchacha20', 'aes-gcm'])('runs the inner request as a direct one and seals the answer (%s)', async (encType) => {
    answer = jsonReply(201, { id: 7 }, { 'content-length': '9', 'X-Extra': 'yes' });
    const reply = await v4(
      encodeV4Request({ meta: { method: 'post', endpoint: '/room/lobby/message?t=r&x=%20', headers: { 'X-SOGS-Nonce': 'n', 'Content-Length': '999' } }, body: Buffer.from('hello') }),
      encType,
    );
    expect(seen).toEqual([{ method: 'POST', path: '/room/lobby/message', query: 't=r&x=%20', headers: { 'x-sogs-nonce': 'n' }, body: Buffer.from('hello') }]);
    expect(reply.code).toBe(201);
    expect(reply.headers).toEqual({ 'content-type': 'application/json', 'x-extra': 'yes' });
    expect(Buffer.from(reply.body).toString()).toBe('{"id":7}');
    expect(observed).toEqual(['v4 ok']);
  });

  it('passes a refusal through with its body', async () => {
    answer = textReply(403, 'Permission denied');
    const reply = await v4(encodeV4Request({ meta: { method: 'GET', endpoint: '/room/x', headers: {} } }));
    expect(reply.code).toBe(403);
    expect(Buffer.from(reply.body).toString()).toBe('Permission denied');
    expect(seen[0]!.body.length).toBe(0);
  });

  it.each([
    ['not bencoded', Buffer.from('{"method":"GET"}')],
    ['an endpoint without a slash', encodeV4Request({ meta: { method: 'GET', endpoint: 'room', headers: {} } })],
    ['three strings', Buffer.from('l2:{}1:a1:be')],
  ])('answers %s with the sealed 400 "Invalid v4 onion request"', async (_name, payload) => {
    const reply = await v4(payload);
    expect(reply.code).toBe(400);
    expect(Buffer.from(reply.body).toString()).toBe('Invalid v4 onion request');
    expect(seen).toEqual([]);
    expect(observed).toEqual(['v4 bad_request']);
  });

  it('answers a changed byte with a plain 400 "Invalid ciphertext", and garbage with "Invalid onion request"', async () => {
    const post = exitPost(encodeV4Request({ meta: { method: 'GET', endpoint: '/', headers: {} } }), 'xchacha20');
    const tampered = Buffer.from(post.body);
    tampered[8] ^= 1;
    expect(await endpoint().v4(tampered)).toEqual(textReply(400, 'Invalid ciphertext'));
    expect(await endpoint().v4(Buffer.from('garbage'))).toEqual(textReply(400, 'Invalid onion request'));
    expect(observed).toEqual(['v4 bad_ciphertext', 'v4 bad_ciphertext']);
    expect(seen).toEqual([]);
  });
});

describe('OnionEndpoint v3', () => {
  it('answers a 2xx with the raw body and anything else with {"status_code": N}', async () => {
    answer = jsonReply(200, { hello: 1 });
    expect(await v3({ method: 'GET', endpoint: '/capabilities' })).toBe('{"hello":1}');
    answer = textReply(404, 'Not found');
    expect(await v3({ method: 'GET', endpoint: '/room/nope' })).toBe('{"status_code":404}');
  });

  it('routes a legacy endpoint under the server prefix and passes a POST body', async () => {
    await v3({ method: 'POST', endpoint: 'files', body: '{"file":"x"}', headers: { 'Content-Type': 'application/json' } });
    expect(seen).toEqual([{ method: 'POST', path: '/legacy/files', query: '', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"file":"x"}') }]);
  });

  it('refuses a GET with a body, but takes the literal "null" old Android clients send', async () => {
    expect(await v3({ method: 'GET', endpoint: '/x', body: 'data' })).toBe('{"status_code":400}');
    expect(seen).toEqual([]);
    await v3({ method: 'GET', endpoint: '/x', body: 'null' });
    expect(seen).toHaveLength(1);
    expect(observed).toEqual(['v3 bad_request', 'v3 ok']);
  });
});
