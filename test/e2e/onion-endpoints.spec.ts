// One behaviour suite for the onion endpoint of every HTTP server behind an exit node
// (sogs-fileserver 3), run against the file server and the community server of a devnet: the test
// POSTs to each server's /oxen/v4/lsrpc and /loki/v3/lsrpc exactly what an exit node would (the
// client's request wrapped for a one-relay path, the relay layer peeled), then reads the answer as
// the client would. The same cases on both servers; only the requests that exercise each server's
// own routes differ.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  decodeV4Response,
  decryptOnionResponse,
  encodeV3Request,
  encodeV4Request,
  fromHex,
  ready,
  utf8,
  type OnionEncType,
  type V3Request,
  type V4Request,
  type V4Response,
} from '@starling/crypto';
import { exitNodePost, type ExitNodePost } from '@starling/onion-server';
import { uniqueName } from '@starling/platform';
import { edgeServices, startDevnet, type Devnet, type EdgeDirectory } from '../src/devnet';
import { SogsUser } from './support/sogs-request';

const ENC_TYPES: OnionEncType[] = ['xchacha20', 'aes-gcm'];
const TEXT = 'text/plain; charset=utf-8';
const schemaPrefix = uniqueName('onion');

/** An answer as the client sees it, whether it came directly or out of an onion reply. */
interface Answer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/** One request to the server's own routes, and what its answer must show. */
interface Probe {
  request: () => V4Request;
  check: (answer: Answer) => void | Promise<void>;
  /** The answer does not change between two calls, so the onion answer must equal the direct one. */
  deterministic?: boolean;
}

/** A server under test, and the probes that exercise its own routes. */
interface EndpointServer {
  name: string;
  url: string;
  x25519: Uint8Array;
  /** A GET whose answer depends on its query string and its headers. */
  getWithQueryAndHeaders: Probe;
  /** A POST whose answer depends on its headers and its body. */
  postWithHeadersAndBody: Probe;
  /** A refusal (non-2xx) with a body of its own. */
  refusal: Probe;
  /** A refusal that only a header of the request causes. */
  headerRefusal: Probe;
  /** For v3: a GET answered with 2xx (and the body it must give), and one refused with `status`. */
  v3Success: { endpoint: string; body: () => Promise<Buffer> };
  v3Refused: { endpoint: string; status: number };
}

let devnet: Devnet | undefined;
const directory: EdgeDirectory = {};
const servers: EndpointServer[] = [];

const json = (answer: Answer): any => JSON.parse(answer.body.toString('utf8'));

async function direct(url: string, request: V4Request): Promise<Answer> {
  const res = await fetch(`${url}${request.meta.endpoint}`, {
    method: request.meta.method,
    headers: request.meta.headers,
    body: request.body === undefined ? undefined : Buffer.from(request.body),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? undefined, body: Buffer.from(await res.arrayBuffer()) };
}

/** What an exit node POSTs to `target` for `payload`. */
function exitPost(server: EndpointServer, payload: Uint8Array, encType: OnionEncType, target: string): ExitNodePost {
  const url = new URL(server.url);
  const exit = exitNodePost({ host: url.hostname, port: Number(url.port), protocol: 'http', x25519: server.x25519 }, payload, encType, target);
  expect(exit.target).toBe(target);
  return exit;
}

async function post(server: EndpointServer, target: string, body: Uint8Array): Promise<Response> {
  return fetch(`${server.url}${target}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
}

/** A v4 request through the endpoint: the HTTP answer must be 200 with the sealed reply. */
async function v4(server: EndpointServer, payload: Uint8Array, encType: OnionEncType): Promise<V4Response> {
  const exit = exitPost(server, payload, encType, '/oxen/v4/lsrpc');
  const res = await post(server, '/oxen/v4/lsrpc', exit.body);
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/octet-stream']);
  return decodeV4Response(decryptOnionResponse(exit.responseKey, new Uint8Array(await res.arrayBuffer()), 'binary'));
}

async function v4Answer(server: EndpointServer, request: V4Request, encType: OnionEncType): Promise<Answer> {
  const reply = await v4(server, encodeV4Request(request), encType);
  // Reply headers are lower case and never carry the length of a body they no longer frame.
  for (const name of Object.keys(reply.headers)) expect(name).toBe(name.toLowerCase());
  expect(reply.headers['content-length']).toBeUndefined();
  return { status: reply.code, contentType: reply.headers['content-type'], body: Buffer.from(reply.body) };
}

/** A v3 request: the HTTP answer is 200 with base64 of the sealed reply body. */
async function v3(server: EndpointServer, request: V3Request, encType: OnionEncType, target = '/loki/v3/lsrpc'): Promise<Buffer> {
  const exit = exitPost(server, encodeV3Request(request), encType, target);
  const res = await post(server, target, exit.body);
  expect([res.status, res.headers.get('content-type')]).toEqual([200, TEXT]);
  return Buffer.from(decryptOnionResponse(exit.responseKey, await res.text(), 'base64'));
}

beforeAll(async () => {
  await ready();
  const dataDir = mkdtempSync(join(tmpdir(), 'starling-onion-endpoints-'));
  devnet = await startDevnet({
    dataDir,
    storeNodes: 0,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    schemaPrefix,
    extraServices: edgeServices({ relays: 0, fileServer: true, community: true, rooms: ['lobby'] }, directory),
  });
  // The file server's probes read a file that is already there.
  const seeded = await direct(directory.fileServer!.url, { meta: { method: 'POST', endpoint: '/file', headers: {} }, body: SEEDED_FILE });
  expect(seeded.status).toBe(200);
  servers.push(fileServer(directory.fileServer!, json(seeded).id), communityServer(directory.community!));
}, 300_000);

afterAll(() => devnet?.discard(), 60_000);

const SEEDED_FILE = utf8('a file uploaded before the onion requests');
const NO_SUCH_FILE = `/file/${'Q'.repeat(44)}`;

function fileServer(entry: NonNullable<EdgeDirectory['fileServer']>, seededId: string): EndpointServer {
  const uploaded = utf8(`uploaded through an onion request ${uniqueName()}`);
  return {
    name: 'file server',
    url: entry.url,
    x25519: fromHex(entry.x25519, 32),
    getWithQueryAndHeaders: {
      // The file API takes no query parameters: a query must not change the route.
      request: () => ({ meta: { method: 'GET', endpoint: `/file/${seededId}/info?client=probe`, headers: { Accept: 'application/json' } } }),
      check: (a) => {
        expect([a.status, a.contentType]).toEqual([200, 'application/json']);
        expect(json(a)).toMatchObject({ id: seededId, size: SEEDED_FILE.length });
      },
      deterministic: true,
    },
    postWithHeadersAndBody: {
      request: () => ({ meta: { method: 'POST', endpoint: '/file', headers: { 'Content-Type': 'application/octet-stream', 'X-FS-TTL': '600' } }, body: uploaded }),
      check: async (a) => {
        expect([a.status, a.contentType]).toEqual([200, 'application/json']);
        const stored = json(a);
        // The header was read (lifetime 600 s) and the body stored: the bytes come back directly.
        expect(Math.round(stored.expires - stored.uploaded)).toBe(600);
        const back = await direct(entry.url, { meta: { method: 'GET', endpoint: `/file/${stored.id}`, headers: {} } });
        expect(back.body.equals(Buffer.from(uploaded))).toBe(true);
      },
    },
    refusal: {
      request: () => ({ meta: { method: 'GET', endpoint: NO_SUCH_FILE, headers: {} } }),
      check: (a) => expect([a.status, a.contentType, json(a)]).toEqual([404, 'application/json', { status_code: 404 }]),
      deterministic: true,
    },
    headerRefusal: {
      request: () => ({ meta: { method: 'POST', endpoint: '/file', headers: { 'X-FS-TTL': 'soon' } }, body: uploaded }),
      check: (a) => expect([a.status, a.contentType, json(a)]).toEqual([400, 'application/json', { status_code: 400 }]),
      deterministic: true,
    },
    v3Success: { endpoint: `/file/${seededId}`, body: async () => Buffer.from(SEEDED_FILE) },
    v3Refused: { endpoint: NO_SUCH_FILE, status: 404 },
  };
}

function communityServer(entry: NonNullable<EdgeDirectory['community']>): EndpointServer {
  const user = new SogsUser(entry.pubkey);
  const batch = utf8(JSON.stringify([{ method: 'GET', path: '/capabilities?required=sogs' }, { method: 'GET', path: '/room/lobby' }]));
  const signedGet = (): V4Request => ({ meta: { method: 'GET', endpoint: '/room/lobby?probe=1', headers: user.headers('GET', '/room/lobby?probe=1') } });
  return {
    name: 'community server',
    url: entry.url,
    x25519: fromHex(entry.pubkey, 32),
    getWithQueryAndHeaders: {
      // Signed with X-SOGS-* headers: the room answers with this user's own permissions.
      request: signedGet,
      check: (a) => {
        expect([a.status, a.contentType]).toEqual([200, 'application/json']);
        expect(json(a)).toMatchObject({ token: 'lobby', read: true });
      },
    },
    postWithHeadersAndBody: {
      request: () => ({ meta: { method: 'POST', endpoint: '/batch', headers: user.headers('POST', '/batch', batch) }, body: batch }),
      check: (a) => {
        expect([a.status, a.contentType]).toEqual([200, 'application/json']);
        const [caps, room] = json(a) as { code: number; body: any }[];
        expect(caps).toMatchObject({ code: 200, body: { capabilities: expect.arrayContaining(['sogs']) } });
        expect(room).toMatchObject({ code: 200, body: { token: 'lobby' } });
      },
    },
    refusal: {
      // The query is read: a capability the server lacks is a 412 that names it.
      request: () => ({ meta: { method: 'GET', endpoint: '/capabilities?required=sogs,teleport', headers: {} } }),
      check: (a) => {
        expect([a.status, a.contentType]).toEqual([412, 'application/json']);
        expect(json(a)).toMatchObject({ missing: ['teleport'] });
      },
      deterministic: true,
    },
    headerRefusal: {
      // The same signed request with its signature altered.
      request: () => {
        const req = signedGet();
        const signature = req.meta.headers['X-SOGS-Signature']!;
        req.meta.headers['X-SOGS-Signature'] = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
        return req;
      },
      check: (a) => {
        expect(a.status).toBe(401);
        expect(a.body.length).toBeGreaterThan(0);
      },
    },
    v3Success: { endpoint: '/capabilities', body: async () => (await direct(entry.url, { meta: { method: 'GET', endpoint: '/capabilities', headers: {} } })).body },
    v3Refused: { endpoint: '/capabilities?required=teleport', status: 412 },
  };
}

const serverNames = ['file server', 'community server'];
const server = (name: string): EndpointServer => servers.find((s) => s.name === name)!;

describe.each(serverNames)('onion endpoint of the %s', (name) => {
  describe.each(ENC_TYPES)('v4 with %s', (encType) => {
    it.each(['getWithQueryAndHeaders', 'postWithHeadersAndBody', 'refusal', 'headerRefusal'] as const)('runs %s as a direct request would be run', async (probeName) => {
      const s = server(name);
      const probe = s[probeName];
      const answer = await v4Answer(s, probe.request(), encType);
      await probe.check(answer);
      if (probe.deterministic) expect(answer).toEqual(await direct(s.url, probe.request()));
    });

    it.each([
      ['not bencode', utf8('{"method":"GET","endpoint":"/"}')],
      ['an endpoint without a leading slash', utf8('l35:{"method":"GET","endpoint":"file"}e')],
      ['three strings', utf8('l2:{}1:a1:be')],
      ['an unterminated list', utf8('l2:{}')],
    ])('answers %s with the sealed 400 "Invalid v4 onion request"', async (_what, payload) => {
      const reply = await v4(server(name), payload, encType);
      expect([reply.code, reply.headers, Buffer.from(reply.body).toString()]).toEqual([400, { 'content-type': TEXT }, 'Invalid v4 onion request']);
    });

    it('answers a changed ciphertext byte with a plain 400 "Invalid ciphertext", and the untouched request normally', async () => {
      const s = server(name);
      const exit = exitPost(s, encodeV4Request(s.refusal.request()), encType, '/oxen/v4/lsrpc');
      const tampered = Uint8Array.from(exit.body);
      tampered[4 + 30] ^= 0x01; // inside the ciphertext, after the 4-byte length
      const res = await post(s, '/oxen/v4/lsrpc', tampered);
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([400, TEXT, 'Invalid ciphertext']);
      const ok = await post(s, '/oxen/v4/lsrpc', exit.body);
      expect(ok.status).toBe(200);
    });
  });

  it('answers a body that is no onion request with a plain 400 "Invalid onion request"', async () => {
    const s = server(name);
    for (const target of ['/oxen/v4/lsrpc', '/loki/v3/lsrpc']) {
      const res = await post(s, target, utf8('not an onion request'));
      expect([target, res.status, res.headers.get('content-type'), await res.text()]).toEqual([target, 400, TEXT, 'Invalid onion request']);
    }
  });

  describe.each(ENC_TYPES)('v3 with %s', (encType) => {
    it.each(['/loki/v3/lsrpc', '/oxen/v3/lsrpc'])('%s answers a 2xx with the raw body and a refusal with {"status_code": N}', async (target) => {
      const s = server(name);
      expect(await v3(s, { method: 'GET', endpoint: s.v3Success.endpoint }, encType, target)).toEqual(await s.v3Success.body());
      const refused = await v3(s, { method: 'GET', endpoint: s.v3Refused.endpoint }, encType, target);
      expect(JSON.parse(refused.toString())).toEqual({ status_code: s.v3Refused.status });
    });

    it('refuses a GET with a body with {"status_code": 400}', async () => {
      const s = server(name);
      const refused = await v3(s, { method: 'GET', endpoint: s.v3Success.endpoint, body: 'a body' }, encType);
      expect(JSON.parse(refused.toString())).toEqual({ status_code: 400 });
    });
  });
});
