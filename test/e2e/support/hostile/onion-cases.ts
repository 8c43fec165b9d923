// Hostile requests as onion requests, built with @starling/crypto as Session clients build them:
// a hostile storage RPC or v4 request sealed in valid layers (the destination must refuse it
// inside its sealed reply), and onion blobs that are themselves hostile (frames that lie about
// their length, routing JSON 10,000 deep, unknown ciphers, layers that decrypt to junk, paths that
// loop, proxy targets no node may reach).
import {
  buildOnionRequest,
  clientLayerKey,
  decodeV4Response,
  decryptOnionResponse,
  encodeOnionFrame,
  encodeStringList,
  encodeV4Request,
  encryptLayer,
  fromHex,
  generateOnionKeyPair,
  parseSnodeOnionReply,
  toHex,
  type LayerKey,
  type OnionEncType,
} from '@starling/crypto';
import { exitNodePost } from '@starling/onion-server';
import { anyClientError, type HostileCase, type OpenedAnswer, type RefusalRule } from './hostile-case';
import { deepJson, HUGE_NUMBERS, type Rng } from './values';

export const ONION_PATH = '/onion_req/v2';
export const V4_PATH = '/oxen/v4/lsrpc';
export const V3_PATH = '/loki/v3/lsrpc';

/** A listed node as a client knows it from the node list: both keys, hex. */
export interface OnionNode {
  ed25519: string;
  x25519: string;
}

/** An HTTP server behind an exit node (file, community or push server). */
export interface OnionServer {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  x25519: string;
}

const keysOf = (n: OnionNode) => ({ x25519: fromHex(n.x25519, 32), ed25519: fromHex(n.ed25519, 32) });
const bytesOf = (body: string | Uint8Array | undefined) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body ?? []));

/** A path error as it came, or a storage node's sealed reply opened as clients open it. */
function openNodeReply(key: LayerKey): HostileCase['open'] {
  return (status, body) => {
    if (status !== 200) return { status, body, sealed: false };
    const reply = parseSnodeOnionReply(decryptOnionResponse(key, body, 'base64'));
    return { status: reply.status, body: Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)), sealed: true };
  };
}

/** A path error as it came, or a server's sealed v4 reply opened. */
function openServerReply(key: LayerKey): HostileCase['open'] {
  return (status, body) => {
    if (status !== 200) return { status, body, sealed: false };
    const reply = decodeV4Response(decryptOnionResponse(key, body, 'binary'));
    return { status: reply.code, body: Buffer.from(reply.body), sealed: true };
  };
}

/** A storage RPC case carried to `destination` through `path` (guard first). */
export function rpcThroughOnion(c: HostileCase, path: OnionNode[], destination: OnionNode, encType: OnionEncType): HostileCase {
  const built = buildOnionRequest({ path: path.map(keysOf), destination: { kind: 'snode', ...keysOf(destination) }, payload: bytesOf(c.body), encType });
  return { ...c, what: `${c.what} [onion ${encType}]`, method: 'POST', path: ONION_PATH, headers: {}, body: built.body, open: openNodeReply(built.responseKey), expectSealed: true };
}

/** A server's HTTP case as the v4 request inside an onion request through `path`. */
export function caseThroughOnion(c: HostileCase, path: OnionNode[], server: OnionServer, encType: OnionEncType): HostileCase {
  if (c.prime) return { ...caseThroughOnion({ ...c, prime: undefined }, path, server, encType), prime: caseThroughOnion(c.prime, path, server, encType) };
  const payload = encodeV4Request({ meta: { method: c.method, endpoint: c.path, headers: c.headers ?? {} }, ...(c.body === undefined ? {} : { body: bytesOf(c.body) }) });
  return v4PayloadThroughOnion({ ...c, what: `${c.what} [onion ${encType}]` }, payload, path, server, encType);
}

/** Any bytes as the v4 payload of an onion request through `path` (the server must refuse junk, sealed). */
export function v4PayloadThroughOnion(c: Pick<HostileCase, 'what' | 'refusal'>, payload: Uint8Array, path: OnionNode[], server: OnionServer, encType: OnionEncType): HostileCase {
  const built = buildOnionRequest({ path: path.map(keysOf), destination: { kind: 'server', ...server, target: V4_PATH, x25519: fromHex(server.x25519, 32) }, payload, encType });
  return { ...c, method: 'POST', path: ONION_PATH, headers: {}, body: built.body, open: openServerReply(built.responseKey), expectSealed: true };
}

/** What an exit node POSTs to the server's own /oxen/v4/lsrpc for this case. */
export function caseAsExitNodePost(c: HostileCase, server: OnionServer, encType: OnionEncType): HostileCase {
  if (c.prime) return { ...caseAsExitNodePost({ ...c, prime: undefined }, server, encType), prime: caseAsExitNodePost(c.prime, server, encType) };
  const payload = encodeV4Request({ meta: { method: c.method, endpoint: c.path, headers: c.headers ?? {} }, ...(c.body === undefined ? {} : { body: bytesOf(c.body) }) });
  return v4PayloadAsExitNodePost({ ...c, what: `${c.what} [exit post ${encType}]` }, payload, server, encType);
}

export function v4PayloadAsExitNodePost(c: Pick<HostileCase, 'what' | 'refusal'>, payload: Uint8Array, server: OnionServer, encType: OnionEncType): HostileCase {
  const exit = exitNodePost({ ...server, x25519: fromHex(server.x25519, 32) }, payload, encType, V4_PATH);
  return { ...c, method: 'POST', path: V4_PATH, headers: { 'content-type': 'application/octet-stream' }, body: exit.body, open: openServerReply(exit.responseKey), expectSealed: true };
}

/**
 * The deprecated v3 endpoint answers 200 with base64 of the sealed answer: the body of a 2xx, or
 * `{"status_code": N}` for anything else.
 */
function openV3Reply(key: LayerKey): HostileCase['open'] {
  return (status, body) => {
    if (status !== 200) return { status, body, sealed: false };
    const plain = Buffer.from(decryptOnionResponse(key, body.toString('ascii'), 'base64'));
    try {
      const code = (JSON.parse(plain.toString('utf8')) as { status_code?: unknown }).status_code;
      if (typeof code === 'number') return { status: code, body: plain, sealed: true };
    } catch {
      // a 2xx body that is not JSON
    }
    return { status: 200, body: plain, sealed: true };
  };
}

/** Any bytes as the plaintext of a v3 request, as an exit node POSTs it to `/loki/v3/lsrpc`. */
export function v3PayloadAsExitNodePost(c: Pick<HostileCase, 'what' | 'refusal'>, payload: Uint8Array, server: OnionServer, encType: OnionEncType): HostileCase {
  const exit = exitNodePost({ ...server, x25519: fromHex(server.x25519, 32) }, payload, encType, V3_PATH);
  return { ...c, method: 'POST', path: V3_PATH, headers: { 'content-type': 'application/octet-stream' }, body: exit.body, open: openV3Reply(exit.responseKey), expectSealed: true };
}

/** v3 plaintexts that are not v3 requests, or ask what v3 cannot carry. */
export function junkV3Payloads(rng: Rng): { what: string; payload: Uint8Array }[] {
  const text = (t: string) => Buffer.from(t, 'utf8');
  return [
    { what: 'random bytes', payload: rng.bytes(200) },
    { what: 'JSON nested 10,000 deep', payload: text(deepJson(10_000)) },
    { what: 'JSON objects nested 10,000 deep', payload: text(deepJson(10_000, 'object')) },
    { what: 'a list', payload: text('[]') },
    { what: 'an endpoint of a number', payload: text('{"method":"GET","endpoint":1e400}') },
    { what: 'no method', payload: text('{"endpoint":"/"}') },
    { what: 'a body of a number', payload: text('{"method":"POST","endpoint":"/x","body":5}') },
    { what: 'headers of a list', payload: text('{"method":"GET","endpoint":"/x","headers":[1]}') },
    { what: 'a GET with a body', payload: text('{"method":"GET","endpoint":"/x","body":"abc"}') },
    { what: 'headers nested 10,000 deep', payload: text(`{"method":"GET","endpoint":"/x","headers":${deepJson(10_000, 'object')}}`) },
    { what: 'not UTF-8', payload: Buffer.from([0x7b, 0xff, 0x7d]) },
  ];
}

/** v4 payloads that are not v4 requests: the server answers each with its sealed 400. */
export function junkV4Payloads(rng: Rng): { what: string; payload: Uint8Array }[] {
  const list = (...parts: string[]) => encodeStringList(parts.map((p) => Buffer.from(p, 'utf8')));
  return [
    { what: 'random bytes', payload: rng.bytes(200) },
    { what: 'an empty payload', payload: new Uint8Array(0) },
    { what: 'a list never closed', payload: Buffer.from('l5:hello') },
    { what: 'a length past the end', payload: Buffer.from('l999:{}e') },
    { what: 'a length of 11 digits', payload: Buffer.from('l99999999999:{}e') },
    { what: 'nested lists 10,000 deep', payload: Buffer.from('l'.repeat(10_000) + 'e'.repeat(10_000)) },
    { what: 'three strings', payload: list('{"method":"GET","endpoint":"/"}', 'a', 'b') },
    { what: 'no strings', payload: list() },
    { what: 'metadata nested 10,000 deep', payload: list(deepJson(10_000)) },
    { what: 'metadata objects nested 10,000 deep', payload: list(deepJson(10_000, 'object')) },
    { what: 'metadata that is a list', payload: list('["GET","/"]') },
    { what: 'metadata without a method', payload: list('{"endpoint":"/"}') },
    { what: 'an endpoint without a slash', payload: list('{"method":"GET","endpoint":"room"}') },
    { what: 'a method of a number', payload: list('{"method":1e400,"endpoint":"/"}') },
    { what: 'headers of a list', payload: list('{"method":"GET","endpoint":"/","headers":[1]}') },
    { what: 'headers with a number value', payload: list('{"method":"GET","endpoint":"/","headers":{"a":1e400}}') },
    { what: 'headers nested 10,000 deep', payload: list(`{"method":"GET","endpoint":"/","headers":${deepJson(10_000, 'object')}}`) },
    { what: 'metadata not UTF-8', payload: encodeStringList([Buffer.from([0xff, 0xfe, 0x7b])]) },
  ];
}

/** Encrypts `plaintext` as the layer addressed to `hop` and frames it as a guard receives it. */
function sealedFor(hop: OnionNode, plaintext: Uint8Array, encType: OnionEncType, meta: Record<string, unknown> = {}): { body: Uint8Array; key: LayerKey } {
  const ephemeral = generateOnionKeyPair();
  const key = clientLayerKey(encType, ephemeral, fromHex(hop.x25519, 32));
  const body = encodeOnionFrame(encryptLayer(key, plaintext), { ephemeral_key: toHex(ephemeral.publicKey), enc_type: encType, ...meta });
  return { body, key };
}

/**
 * A hop's refusal of a hostile blob: a plain 4xx path error, the documented 502 "Next node not
 * found: <key>" for a layer naming a node no map lists, or — when the layer was addressed to this
 * node and decrypted — a sealed reply that is itself a 4xx.
 */
export const hopRefusal: RefusalRule = (status, body) => {
  if (status === 502 && /^Next node not found: [0-9a-f]{64}$/.test(body.toString('utf8'))) return undefined;
  return anyClientError(status, body);
};

function blobCase(what: string, body: Uint8Array, key?: LayerKey): HostileCase {
  return {
    what,
    method: 'POST',
    path: ONION_PATH,
    body,
    refusal: hopRefusal,
    ...(key ? { open: openNodeReply(key) as (status: number, body: Buffer) => OpenedAnswer } : {}),
  };
}

/** Hostile blobs for a hop's /onion_req/v2, in both ciphers; `hop` is the node they are POSTed to. */
export function onionBlobCases(rng: Rng, hop: OnionNode, encType: OnionEncType): HostileCase[] {
  const frame = (payload: Uint8Array, json: string) => Buffer.concat([u32(payload.length), payload, Buffer.from(json, 'utf8')]);
  const ephemeral = toHex(generateOnionKeyPair().publicKey);
  const routing = (extra: Record<string, unknown>) => encodeOnionFrame(rng.bytes(64), { ephemeral_key: ephemeral, enc_type: encType, ...extra });
  const sealed = (what: string, plaintext: Uint8Array, meta?: Record<string, unknown>) => {
    const s = sealedFor(hop, plaintext, encType, meta);
    return blobCase(`${what} [${encType}]`, s.body, s.key);
  };
  const inner = (meta: Record<string, unknown>, payload: Uint8Array = rng.bytes(80)) => encodeOnionFrame(payload, meta);
  const unknownNode = toHex(rng.bytes(32));
  const rpc = (text: string) => encodeOnionFrame(Buffer.from(text, 'utf8'), { headers: '' });
  const cases: HostileCase[] = [
    ...Array.from({ length: 6 }, (_, i) => blobCase(`random bytes #${i}`, rng.bytes(1 + rng.int(i === 0 ? 100_000 : 2_000)))),
    blobCase('three bytes', Buffer.from([1, 2, 3])),
    blobCase('a length prefix past the end', Buffer.concat([u32(1_000_000), rng.bytes(100)])),
    blobCase('a length prefix of 2^32-1', Buffer.concat([u32(0xffffffff), rng.bytes(100)])),
    blobCase('routing JSON missing', frame(rng.bytes(64), '')),
    blobCase('routing JSON nested 10,000 deep', frame(rng.bytes(64), deepJson(10_000))),
    blobCase('routing JSON objects nested 10,000 deep', frame(rng.bytes(64), deepJson(10_000, 'object'))),
    blobCase('routing JSON that is a list', frame(rng.bytes(64), '[]')),
    blobCase('routing JSON not UTF-8', frame(rng.bytes(64), '\u00ff')),
    blobCase('routing JSON cut short', frame(rng.bytes(64), '{"ephemeral_key":"ab')),
    blobCase('no ephemeral_key', routing({ ephemeral_key: undefined })),
    blobCase('an ephemeral_key not hex', routing({ ephemeral_key: 'zz'.repeat(32) })),
    blobCase('an ephemeral_key of 31 bytes', routing({ ephemeral_key: toHex(rng.bytes(31)) })),
    blobCase('an ephemeral_key of 100 KB', routing({ ephemeral_key: 'ab'.repeat(50_000) })),
    blobCase('an ephemeral_key of a number', routing({ ephemeral_key: 7 })),
    blobCase('an unknown enc_type', routing({ enc_type: 'rot13' })),
    blobCase('an enc_type of 100 KB', routing({ enc_type: 'x'.repeat(100_000) })),
    blobCase('an enc_type of a list', routing({ enc_type: ['aes-gcm'] })),
    blobCase('hop_no -1', routing({ hop_no: -1 })),
    blobCase('hop_no 1.5', routing({ hop_no: 1.5 })),
    blobCase('hop_no as text', routing({ hop_no: '1' })),
    blobCase('hop_no 16', routing({ hop_no: 16 })),
    ...HUGE_NUMBERS.map((n) => blobCase(`hop_no ${n.slice(0, 20)}`, frame(rng.bytes(64), `{"ephemeral_key":"${ephemeral}","hop_no":${n}}`))),
    blobCase('random ciphertext', routing({})),
    blobCase('a ciphertext shorter than its tag', encodeOnionFrame(rng.bytes(8), { ephemeral_key: ephemeral, enc_type: encType })),
    blobCase('an empty ciphertext', encodeOnionFrame(new Uint8Array(0), { ephemeral_key: ephemeral, enc_type: encType })),
    sealed('a layer of random bytes', rng.bytes(300)),
    sealed('a layer that is an empty frame', inner({})),
    sealed('a layer with routing nested 10,000 deep', frame(rng.bytes(10), deepJson(10_000, 'object'))),
    sealed('a layer naming a destination not in hex', inner({ destination: 'zz'.repeat(32), ephemeral_key: ephemeral })),
    sealed('a layer naming a destination of 100 KB', inner({ destination: 'ab'.repeat(50_000), ephemeral_key: ephemeral })),
    sealed('a layer naming a node no map lists', inner({ destination: unknownNode, ephemeral_key: ephemeral, enc_type: encType })),
    sealed('a layer forwarding to this node a layer of junk', inner({ destination: hop.ed25519, ephemeral_key: ephemeral, enc_type: encType })),
    sealed('a layer forwarding with an unknown enc_type', inner({ destination: hop.ed25519, ephemeral_key: ephemeral, enc_type: 'rot13' })),
    sealed('a proxy to port 0', inner({ host: '127.0.0.1', port: 0, protocol: 'http', target: V4_PATH })),
    sealed('a proxy to port 70000', inner({ host: '127.0.0.1', port: 70_000, protocol: 'http', target: V4_PATH })),
    sealed('a proxy with a port of text', inner({ host: '127.0.0.1', port: '80', protocol: 'http', target: V4_PATH })),
    sealed('a proxy by ftp', inner({ host: '127.0.0.1', port: 21, protocol: 'ftp', target: V4_PATH })),
    sealed('a proxy to a path outside the onion endpoints', inner({ host: '127.0.0.1', port: 80, protocol: 'http', target: '/etc/passwd' })),
    sealed('a proxy with a query', inner({ host: '127.0.0.1', port: 80, protocol: 'http', target: `${V4_PATH}?x=1` })),
    sealed('a proxy to a host not allowed', inner({ host: '169.254.169.254', port: 80, protocol: 'http', target: V4_PATH })),
    sealed('a proxy without a target', inner({ host: '127.0.0.1', port: 80 })),
    sealed('a delivery with json of text', inner({ headers: '', json: 'yes' }, Buffer.from('{"method":"info","params":{}}'))),
    sealed('a delivery with base64 of a number', inner({ headers: '', base64: 5 }, Buffer.from('{"method":"info","params":{}}'))),
    sealed('a delivery of JSON nested 10,000 deep', rpc(deepJson(10_000))),
    sealed('a delivery of random bytes', encodeOnionFrame(rng.bytes(500), { headers: '' })),
    sealed('a delivery of an unknown method', rpc('{"method":"teleport","params":{}}')),
    sealed('a delivery with a hop_no of 15', rpc('{"method":"info","params":{}}'), { hop_no: 15 }),
  ];
  // A path that visits this node 15 times: refused at the hop limit, not followed for ever.
  const loop = buildOnionRequest({ path: Array(15).fill(keysOf(hop)), destination: { kind: 'snode', ...keysOf(hop) }, payload: Buffer.from('{"method":"info","params":{}}'), encType });
  cases.push(blobCase(`a path through this node 15 times [${encType}]`, loop.body, loop.responseKey));
  return cases.map((c) => (c.what.endsWith(']') ? c : { ...c, what: `${c.what} [${encType}]` }));
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
