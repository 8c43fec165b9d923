// Session desktop's side of the network, re-told from its code (session-foundation/session-desktop,
// ts/session/onions/, ts/session/apis/snode_api/, ts/session/apis/seed_node_api/,
// ts/session/apis/file_server_api/, ts/session/url/) so that a whole-network test can behave as
// desktop does and judge every answer as desktop judges it. It uses only the crypto primitives of
// @starling/crypto and node's https; none of libs/client's network code, which is what this checks.
// Each function names the upstream function it mirrors; the comments say what desktop checks.
import { randomBytes, randomInt } from 'crypto';
import { Agent, request as httpsRequest } from 'https';
import { request as httpRequest, type IncomingHttpHeaders } from 'http';
import { gunzipSync, inflateSync } from 'zlib';
import {
  clientLayerKey,
  decryptLayer,
  decryptOnionResponse,
  ed25519KeyPairFromSeed,
  ed25519PublicKeyToX25519,
  encodeOnionFrame,
  encodeV4Request,
  encryptLayer,
  fromHex,
  generateOnionKeyPair,
  signEd25519,
  toBase64,
  toHex,
  utf8,
  type LayerKey,
} from '@starling/crypto';

/** A pool entry as desktop keeps it (`data/types.ts` Snode). */
export interface Snode {
  ip: string;
  port: number;
  pubkey_x25519: string;
  pubkey_ed25519: string;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** `snodeHttpsAgent` (onions.ts): any certificate is accepted; nodes are known by their onion keys. */
const snodeHttpsAgent = new Agent({ rejectUnauthorized: false });

/** Every desktop request to a node or seed carries these (onions.ts, SeedNodeAPI.ts, onionPath.ts). */
const DESKTOP_HEADERS = { 'User-Agent': 'WhatsApp', 'Accept-Language': 'en-us' };

/** What node-fetch 2 (desktop's fetch) adds; a string body without a type is sent as text/plain. */
const NODE_FETCH_HEADERS = { Accept: '*/*', 'Accept-Encoding': 'gzip,deflate' };

/** Desktop's timeouts: guard test 10 s, storage RPC 10 s, file server 30 s. */
export const TIMEOUTS = { guardTest: 10_000, snodeRpc: 10_000, fileServer: 30_000, seed: 5_000 };

/** One request as `insecureNodeFetch` sends it; a timeout is an error, as node-fetch's. */
export function desktopFetch(
  url: string,
  init: { method: 'GET' | 'POST'; body?: string | Uint8Array; headers?: Record<string, string>; timeoutMs: number },
): Promise<HttpAnswer> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...NODE_FETCH_HEADERS, ...init.headers };
  if (typeof init.body === 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'text/plain;charset=UTF-8';
  }
  const secure = target.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: init.method, headers, ...(secure ? { agent: snodeHttpsAgent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        // node-fetch undoes the content encodings it asked for.
        const encoding = res.headers['content-encoding'];
        const body = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(init.timeoutMs, () => req.destroy(new Error(`request-timeout after ${init.timeoutMs} ms: ${init.method} ${url}`)));
    req.on('error', reject);
    req.end(init.body === undefined ? undefined : Buffer.from(init.body));
  });
}

// ---------------------------------------------------------------------------------------------
// The node list from the seed (seed_node_api/SeedNodeAPI.ts getSnodesFromSeedUrl, types.ts)
// ---------------------------------------------------------------------------------------------

/** `GetServicesNodesFromSeedRequest`: the whole list (no limit), these fields. */
export const SEED_REQUEST = {
  jsonrpc: '2.0',
  method: 'get_n_service_nodes',
  params: {
    active_only: true,
    fields: { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true, requested_unlock_height: true, height: true },
  },
};

export interface SeedAnswer {
  http: HttpAnswer;
  /** The parsed JSON, for checks beyond desktop's. */
  json: { result: { height: number; service_node_states: Record<string, unknown>[] } };
  /** `fetchSnodePoolFromSeedNodeWithRetries`: the entries mapped to pool entries. */
  pool: Snode[];
}

/** Throws where desktop throws: non-200, a content type other than exactly application/json, a schema miss, no node. */
export async function fetchSnodePoolFromSeed(seedUrl: string): Promise<SeedAnswer> {
  // LOCAL_DEVNET_SEED_URL ends with '/', and desktop appends `json_rpc`.
  const url = `${seedUrl.endsWith('/') ? seedUrl : `${seedUrl}/`}json_rpc`;
  const http = await desktopFetch(url, { method: 'POST', body: JSON.stringify(SEED_REQUEST), headers: DESKTOP_HEADERS, timeoutMs: TIMEOUTS.seed });
  if (http.status !== 200) throw new Error(`getSnodesFromSeedUrl: status is not 200 ${http.status}`);
  if (http.headers['content-type'] !== 'application/json') {
    throw new Error(`getSnodesFromSeedUrl: response is not json Content-Type (${http.headers['content-type']})`);
  }
  const json = JSON.parse(http.body.toString('utf8')) as SeedAnswer['json'];
  const problems = seedSchemaProblems(json);
  if (problems.length > 0) throw new Error(`getSnodesFromSeedUrl: invalid result: ${problems.join('; ')}`);
  // ServiceNodesFromSeedSchema's transform: nodes without an address are dropped.
  const states = json.result.service_node_states.filter((n) => n.public_ip && n.public_ip !== '0.0.0.0');
  if (states.length === 0) throw new Error('Did not get a single valid snode');
  const pool = states.map((n) => ({
    ip: n.public_ip as string,
    port: n.storage_port as number,
    pubkey_x25519: n.pubkey_x25519 as string,
    pubkey_ed25519: n.pubkey_ed25519 as string,
  }));
  return { http, json, pool };
}

/** `ServiceNodesResponseSchema` (zod upstream): what must be there, with which type. */
function seedSchemaProblems(json: unknown): string[] {
  const result = (json as { result?: unknown } | null)?.result as Record<string, unknown> | undefined;
  if (typeof result !== 'object' || result === null) return ['no result object'];
  const problems: string[] = [];
  if (typeof result.height !== 'number') problems.push('result.height is not a number');
  if (!Array.isArray(result.service_node_states)) return [...problems, 'service_node_states is not a list'];
  const types = { public_ip: 'string', storage_port: 'number', pubkey_ed25519: 'string', pubkey_x25519: 'string', requested_unlock_height: 'number' };
  result.service_node_states.forEach((n: Record<string, unknown>, i: number) => {
    for (const [field, type] of Object.entries(types)) {
      if (typeof n?.[field] !== type) problems.push(`node ${i}: ${field} is not a ${type}`);
    }
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Guards (onions/onionPath.ts testGuardNode, selectGuardNodes; Android OnionRequestAPI.testSnode)
// ---------------------------------------------------------------------------------------------

/** desiredGuardCount, ONION_REQUEST_HOPS (onionPathConstants.ts); minSnodePoolCount (snodePoolConstants.ts). */
export const DESIRED_GUARD_COUNT = 2;
export const ONION_REQUEST_HOPS = 3;
export const MIN_SNODE_POOL_COUNT = 1 * (ONION_REQUEST_HOPS + 1) * 2;
/** tryToGetConsensusWithSnodesWithRetries: the agreement desktop wants on a local devnet. */
export const REQUIRED_SNODES_FOR_AGREEMENT_LOCAL = 12;

/** testGuardNode: a direct get_swarm for our own account; a node passes when `response.ok`. */
export async function testGuardNode(snode: Snode, ourPubkey: string): Promise<{ ok: boolean; http: HttpAnswer }> {
  const body = { jsonrpc: '2.0', method: 'get_swarm', params: { pubkey: ourPubkey } };
  const http = await desktopFetch(`https://${snode.ip}:${snode.port}/storage_rpc/v1`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...DESKTOP_HEADERS },
    timeoutMs: TIMEOUTS.guardTest,
  });
  return { ok: http.status >= 200 && http.status < 300, http };
}

/** selectGuardNodes: shuffle the pool, test two candidates at a time, at most 6 rounds. */
export async function selectGuardNodes(pool: readonly Snode[], ourPubkey: string): Promise<Snode[]> {
  if (pool.length < MIN_SNODE_POOL_COUNT) throw new Error(`Could not select guard nodes. Not enough nodes in the pool: ${pool.length}`);
  const shuffled = shuffle(pool);
  let selected: Snode[] = [];
  for (let attempts = 0; selected.length < DESIRED_GUARD_COUNT; attempts++) {
    if (attempts > 5) throw new Error(`selectGuardNodes stopping after attempts: ${attempts}`);
    const candidates = shuffled.splice(0, DESIRED_GUARD_COUNT);
    const tested = await Promise.allSettled(candidates.map((c) => testGuardNode(c, ourPubkey)));
    selected = selected.concat(candidates.filter((_, i) => tested[i]!.status === 'fulfilled' && (tested[i] as PromiseFulfilledResult<{ ok: boolean }>).value.ok));
  }
  return selected.slice(0, DESIRED_GUARD_COUNT);
}

/** Android's guard test: GET /get_stats/v1, `version` compared as Kotlin compares strings. */
export async function androidTestSnode(snode: Snode): Promise<{ version: unknown; http: HttpAnswer }> {
  const http = await desktopFetch(`https://${snode.ip}:${snode.port}/get_stats/v1`, { method: 'GET', timeoutMs: 3_000 });
  const json = JSON.parse(http.body.toString('utf8')) as { version?: unknown };
  return { version: json.version, http };
}

/** Kotlin's String.compareTo: UTF-16 code units, lexicographic ("2.10.0" < "2.9.0"). */
export function kotlinStringAtLeast(a: string, b: string): boolean {
  return a >= b;
}

/**
 * buildNewOnionPathsWorker with useLocalDevNet: every guard gets ONION_REQUEST_HOPS - 1 nodes drawn
 * from the pool minus the guards, none used twice (no /24 rule on a local devnet).
 */
export function buildOnionPaths(pool: readonly Snode[], guards: readonly Snode[]): Snode[][] {
  if (pool.length <= MIN_SNODE_POOL_COUNT) throw new Error(`Cannot rebuild path as we do not have enough snodes: ${pool.length}`);
  let others = pool.filter((n) => !guards.some((g) => g.pubkey_ed25519 === n.pubkey_ed25519));
  const paths: Snode[][] = [];
  const maxPath = Math.floor(Math.min(guards.length, others.length / (ONION_REQUEST_HOPS - 1)));
  for (const guard of shuffle(guards).slice(0, maxPath)) {
    const path = [guard];
    while (path.length < ONION_REQUEST_HOPS) {
      const pick = others[randomInt(others.length)]!;
      others = others.filter((n) => n.pubkey_ed25519 !== pick.pubkey_ed25519);
      path.push(pick);
    }
    paths.push(path);
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------
// Onion requests (apis/snode_api/onions.ts)
// ---------------------------------------------------------------------------------------------

/** `DestinationContext`: a layer encrypted to one key, and the symmetric key that opens it. */
interface DestinationContext {
  ciphertext: Uint8Array;
  symmetricKey: LayerKey;
  ephemeralKey: Uint8Array;
}

/** encryptForPubkey (util.worker.ts): fresh X25519 pair, HMAC-SHA256("LOKI", shared) key, AES-GCM. */
function encryptForPubkey(x25519Hex: string, plaintext: Uint8Array): DestinationContext {
  const ephemeral = generateOnionKeyPair();
  const symmetricKey = clientLayerKey('aes-gcm', ephemeral, fromHex(x25519Hex, 32));
  return { ciphertext: encryptLayer(symmetricKey, plaintext), symmetricKey, ephemeralKey: ephemeral.publicKey };
}

/** FinalRelayOptions: the exit's HTTP request to a server (file server, community). */
export interface FinalRelayOptions {
  host: string;
  protocol?: 'http';
  port?: number;
}

export interface SentOnion {
  http: HttpAnswer;
  /** decodingSymmetricKey: the destination's key, the only one desktop keeps. */
  destinationKey: LayerKey;
  /** Every hop's layer key, guard first (desktop drops them; the test reads sealed hop errors with them). */
  hopKeys: LayerKey[];
}

/**
 * sendOnionRequestNoRetries: layers from the destination outwards (buildOnionCtxs), each hop told
 * `{destination: <next ed25519>}` or, at the exit of a server request, `{host, target, method[, protocol, port]}`,
 * plus the inner layer's `ephemeral_key`; no `enc_type` (aes-gcm). POSTed to the guard's /onion_req/v2.
 */
async function sendOnionRequestNoRetries(
  path: readonly Snode[],
  destination: DestinationContext,
  route: { targetEd25519: string } | { relay: FinalRelayOptions },
  timeoutMs: number,
): Promise<SentOnion> {
  const contexts = [destination];
  const hopKeys: LayerKey[] = [];
  for (let i = path.length - 1; i >= 0; i--) {
    let next: Record<string, unknown>;
    if (i === path.length - 1 && 'relay' in route) {
      next = { host: route.relay.host, target: '/oxen/v4/lsrpc', method: 'POST' };
      if (route.relay.protocol === 'http') Object.assign(next, { protocol: 'http', port: route.relay.port ?? 80 });
    } else {
      next = { destination: i === path.length - 1 && 'targetEd25519' in route ? route.targetEd25519 : path[i + 1]!.pubkey_ed25519 };
    }
    const inner = contexts[contexts.length - 1]!;
    const ctx = encryptForPubkey(path[i]!.pubkey_x25519, encodeOnionFrame(inner.ciphertext, { ...next, ephemeral_key: toHex(inner.ephemeralKey) }));
    contexts.push(ctx);
    hopKeys.unshift(ctx.symmetricKey);
  }
  const guardCtx = contexts[contexts.length - 1]!;
  const payload = encodeOnionFrame(guardCtx.ciphertext, { ephemeral_key: toHex(guardCtx.ephemeralKey) });
  const guard = path[0]!;
  const http = await desktopFetch(`https://${guard.ip}:${guard.port}/onion_req/v2`, { method: 'POST', body: payload, headers: DESKTOP_HEADERS, timeoutMs });
  return { http, destinationKey: destination.symmetricKey, hopKeys };
}

/** What desktop concludes from one answer; only `ok` lets the request succeed. */
export type SnodeOutcome =
  /** `status` is the reply's own field, which decodeBatchRequest reads (not status_code). */
  | { kind: 'ok'; status: unknown; body: unknown }
  /** processAnyOtherErrorOnPath: counts against the path and its guard (or drops a node not found). */
  | { kind: 'path-error'; status: number; text: string }
  /** handle421InvalidSwarm: the swarm to use instead, then retry with one of its members. */
  | { kind: 'wrong-swarm'; snodes: Record<string, unknown>[] }
  /** processOnionRequestErrorAtDestination: any other status at the destination. */
  | { kind: 'destination-error'; status: number; body: unknown }
  /** processOnionResponse's decode failure ("Ciphertext decode error"). */
  | { kind: 'undecodable'; reason: string };

/** processOnionResponse for a storage node destination (non-v4). */
function processOnionResponse(sent: SentOnion): SnodeOutcome {
  const text = sent.http.body.toString('utf8');
  if (sent.http.status !== 200) return { kind: 'path-error', status: sent.http.status, text };
  if (!text) return { kind: 'undecodable', reason: 'Target node return empty ciphertext' };
  let plaintext: string;
  try {
    // decodeOnionResult: `{"result": b64}` or the bare base64, AES-GCM under the destination key.
    plaintext = Buffer.from(decryptOnionResponse(sent.destinationKey, text, 'base64')).toString('utf8');
  } catch (err) {
    return { kind: 'undecodable', reason: (err as Error).message };
  }
  const json = JSON.parse(plaintext) as { status_code?: number; status?: number; body?: unknown };
  const outcome = atDestination(json.status_code || json.status || 0, json.body);
  return outcome.kind === 'ok' ? { ...outcome, status: json.status } : outcome;
}

/** processOnionRequestErrorAtDestination, for the whole answer or one batch result. */
function atDestination(status: number, body: unknown): SnodeOutcome {
  if (status === 200) return { kind: 'ok', status, body };
  if (status === 421) {
    const parsed = typeof body === 'string' ? (JSON.parse(body) as { snodes?: Record<string, unknown>[] }) : (body as { snodes?: Record<string, unknown>[] });
    return { kind: 'wrong-swarm', snodes: parsed?.snodes ?? [] };
  }
  return { kind: 'destination-error', status, body };
}

export interface BatchResult {
  code: number;
  body: Record<string, any>;
}

export type BatchOutcome = { kind: 'ok'; results: BatchResult[] } | Exclude<SnodeOutcome, { kind: 'ok' }>;

/**
 * doSnodeBatchRequestNoRetries through lokiOnionFetchNoRetries: `{"jsonrpc":"2.0","method":"batch"|"sequence",
 * "params":{"requests":[...]}}` to `target` over `path`, the destination's control JSON as desktop
 * writes it; then decodeBatchRequest (status 200, `body` a JSON string with a non-empty `results`)
 * and every result through processOnionRequestErrorAtDestination.
 */
export async function snodeBatch(
  path: readonly Snode[],
  target: Snode,
  method: 'batch' | 'sequence',
  requests: Record<string, unknown>[],
): Promise<BatchOutcome> {
  if (path.some((n) => n.pubkey_ed25519 === target.pubkey_ed25519)) throw new Error('desktop never sends through a path that holds the target');
  const rpc = JSON.stringify({ jsonrpc: '2.0', method, params: { requests } });
  const control = { body: null, headers: { 'Content-Type': 'application/json' } };
  const destination = encryptForPubkey(target.pubkey_x25519, encodeOnionFrame(utf8(rpc), control));
  const sent = await sendOnionRequestNoRetries(path, destination, { targetEd25519: target.pubkey_ed25519 }, TIMEOUTS.snodeRpc);
  const outcome = processOnionResponse(sent);
  if (outcome.kind !== 'ok') return outcome;
  if (outcome.status !== 200) return { kind: 'undecodable', reason: `decodeBatchRequest invalid status code: ${String(outcome.status)}` };
  if (typeof outcome.body !== 'string') return { kind: 'undecodable', reason: `body is not a JSON string: ${typeof outcome.body}` };
  const parsed = JSON.parse(outcome.body) as { results?: unknown };
  if (!Array.isArray(parsed.results) || parsed.results.length === 0) return { kind: 'undecodable', reason: 'decodeBatchRequest: no results' };
  const results = parsed.results as BatchResult[];
  for (const r of results) {
    const each = atDestination(r.code, JSON.stringify(r.body));
    if (each.kind !== 'ok') return each;
  }
  return { kind: 'ok', results };
}

// ---------------------------------------------------------------------------------------------
// Servers behind the exit (onions/onionSend.ts, onions/onionv4.ts, file_server_api/, url/)
// ---------------------------------------------------------------------------------------------

/** decodeV4Response: `l<n>:<json><m>:<body>e`, the body read by its content type. */
export interface DecodedV4 {
  metadata: { code: number; headers: Record<string, string> };
  body: unknown;
  bodyBinary: Uint8Array;
  bodyContentType: string;
}

export function desktopDecodeV4Response(binary: Uint8Array): DecodedV4 | undefined {
  const L = 'l'.charCodeAt(0);
  const E = 'e'.charCodeAt(0);
  const COLON = ':'.charCodeAt(0);
  if (!(binary.byteLength && binary[0] === L && binary[binary.byteLength - 1] === E)) return undefined;
  try {
    const bytes = Buffer.from(binary);
    const firstColon = bytes.indexOf(COLON);
    const infoLength = Number(bytes.subarray(1, firstColon).toString('utf8'));
    const infoEnd = firstColon + 1 + infoLength;
    const metadata = JSON.parse(bytes.subarray(firstColon + 1, infoEnd).toString('utf8')) as DecodedV4['metadata'];
    const bodyColon = bytes.indexOf(COLON, infoEnd);
    const bodyLength = Number(bytes.subarray(infoEnd, bodyColon).toString('utf8'));
    const bodyBinary = new Uint8Array(bytes.subarray(bodyColon + 1, bodyColon + 1 + bodyLength));
    // Desktop reads `headers['content-type']` unguarded: an answer without headers fails here.
    const bodyContentType = metadata.headers['content-type']!;
    let body: unknown = null;
    if (bodyContentType === 'application/json') body = JSON.parse(Buffer.from(bodyBinary).toString('utf8'));
    else if (bodyContentType === 'text/plain; charset=utf-8') body = { plainText: Buffer.from(bodyBinary).toString('utf8') };
    return { metadata, body, bodyBinary, bodyContentType };
  } catch {
    return undefined;
  }
}

export type ServerOutcome =
  | { kind: 'ok'; status_code: number; body: unknown; bodyBinary: Uint8Array; contentType: string }
  | { kind: 'path-error'; status: number; text: string }
  /** Decrypted, but no v4 answer in it, or a status outside 2xx: desktop retries with another path. */
  | { kind: 'server-error'; status_code: number; body: unknown }
  | { kind: 'undecodable'; reason: string };

/**
 * sendViaOnionV4ToNonSnodeWithRetries (one try): the v4 request for `url` (endpoint = path + query),
 * encrypted to the server's X25519 key; `http:` URLs make the exit use plain HTTP on the URL's port.
 * processOnionResponseV4: a non-200 is a path error; the raw body is AES-GCM under the server's key.
 */
export async function sendViaOnionV4(
  path: readonly Snode[],
  serverX25519Hex: string,
  url: URL,
  request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array },
): Promise<ServerOutcome & { sent: SentOnion }> {
  const endpoint = url.search ? `${url.pathname}${url.search}` : url.pathname;
  const plaintext = encodeV4Request({ meta: { method: request.method, endpoint, headers: request.headers }, ...(request.body ? { body: request.body } : {}) });
  const relay: FinalRelayOptions = { host: url.hostname };
  if (url.protocol === 'http:') Object.assign(relay, { protocol: 'http', port: url.port ? Number(url.port) : 80 });
  const sent = await sendOnionRequestNoRetries(path, encryptForPubkey(serverX25519Hex, plaintext), { relay }, TIMEOUTS.fileServer);
  if (sent.http.status !== 200) return { kind: 'path-error', status: sent.http.status, text: sent.http.body.toString('utf8'), sent };
  let decrypted: Uint8Array;
  try {
    decrypted = decryptLayer(sent.destinationKey, sent.http.body);
  } catch (err) {
    return { kind: 'undecodable', reason: (err as Error).message, sent };
  }
  const decoded = desktopDecodeV4Response(decrypted);
  const code = decoded?.metadata?.code || 8888; // STATUS_NO_STATUS
  if (!decoded || code < 200 || code > 299) return { kind: 'server-error', status_code: code, body: decoded?.body ?? null, sent };
  return { kind: 'ok', status_code: code, body: decoded.body, bodyBinary: decoded.bodyBinary, contentType: decoded.bodyContentType, sent };
}

/** A file server as desktop's FILE_SERVERS entries describe one. */
export interface FileServerTarget {
  url: string;
  xPk: string;
  edPk: string;
}

/**
 * uploadFileToFsWithOnionV4 for a server other than the default one: POST /file with the bytes,
 * `id` a non-empty string and `expires` a finite number, or null; the link carries `#p=<edPk>`.
 */
export async function uploadFileToFs(path: readonly Snode[], fs: FileServerTarget, data: Uint8Array): Promise<{ fileUrl: string; expiresMs: number } | null> {
  const result = await sendViaOnionV4(path, fs.xPk, new URL(`${fs.url}/file`), { method: 'POST', headers: {}, body: data });
  if (result.kind !== 'ok') return null;
  const { id, expires } = (result.body ?? {}) as { id?: unknown; expires?: unknown };
  if (typeof id !== 'string' || id === '' || typeof expires !== 'number' || !Number.isFinite(expires)) return null;
  const params = new URLSearchParams();
  params.set('p', fs.edPk);
  return { fileUrl: `${fs.url}/file/${id}#${params.toString()}`, expiresMs: Math.floor(expires * 1000) };
}

/**
 * downloadFileFromFileServer: FileFromFileServerDetails reads the link (last path segment is the
 * id, `#p=` the server's Ed25519 key), getBinaryViaOnionV4FromFileServer converts that key to
 * X25519 for the onion layer and GETs the link's path through `path`.
 */
export async function downloadFileFromFs(path: readonly Snode[], link: string): Promise<ServerOutcome & { serverX25519: string }> {
  const url = new URL(link);
  const fileId = url.pathname.split('/').filter(Boolean).pop();
  const serverEd25519Pk = new URLSearchParams(url.hash.slice(1)).get('p');
  if (!fileId || !serverEd25519Pk) throw new Error('DownloadFromFileServer: fileId is empty or not a file server url');
  const serverX25519 = toHex(ed25519PublicKeyToX25519(fromHex(serverEd25519Pk, 32)));
  const result = await sendViaOnionV4(path, serverX25519, url, { method: 'GET', headers: {} });
  return { ...result, serverX25519 };
}

// ---------------------------------------------------------------------------------------------
// An account's own requests (SnodeRequestTypes.ts, signature/snodeSignatures.ts)
// ---------------------------------------------------------------------------------------------

export class DesktopAccount {
  readonly sessionId: string;
  private readonly ed25519: ReturnType<typeof ed25519KeyPairFromSeed>;

  constructor() {
    this.ed25519 = ed25519KeyPairFromSeed(randomBytes(32));
    this.sessionId = `05${toHex(ed25519PublicKeyToX25519(this.ed25519.publicKey))}`;
  }

  /** SwarmForSubRequest. */
  getSwarm(): Record<string, unknown> {
    const fields = { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true };
    return { method: 'get_swarm', params: { pubkey: this.sessionId, params: { active_only: true, fields } } };
  }

  /** StoreUserMessageSubRequest: namespace 0 needs no signature. */
  store(data: Uint8Array, ttlMs = 14 * 24 * 3600 * 1000): Record<string, unknown> {
    return { method: 'store', params: { pubkey: this.sessionId, timestamp: Date.now(), namespace: 0, ttl: ttlMs, data: toBase64(data) } };
  }

  /** RetrieveUserSubRequest: signed "retrieve" + timestamp (namespace 0 adds nothing); max_size from maxSizeMap. */
  retrieve(lastHash = ''): Record<string, unknown> {
    const timestamp = Date.now();
    const signature = toBase64(signEd25519(this.ed25519.secretKey, utf8(`retrieve${timestamp}`)));
    return {
      method: 'retrieve',
      params: { namespace: 0, pubkey: this.sessionId, pubkey_ed25519: toHex(this.ed25519.publicKey), signature, timestamp, last_hash: lastHash, max_size: -1 },
    };
  }
}

/** NetworkTimeSubRequest. */
export const INFO_REQUEST = { method: 'info', params: {} };

/** GetServiceNodesSubRequest: the whole list (no limit), these fields. */
export const GET_SERVICE_NODES_REQUEST = {
  method: 'oxend_request',
  params: {
    endpoint: 'get_service_nodes',
    params: { active_only: true, fields: { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true } },
  },
};

/** OnsResolveSubRequest: type 0 (Session), the name's BLAKE2b-32 hash in base64. */
export function onsResolveRequest(nameHashBase64: string): Record<string, unknown> {
  return { method: 'oxend_request', params: { endpoint: 'ons_resolve', params: { type: 0, name_hash: nameHashBase64 } } };
}

/** getSnodePoolFromSnode: nodes without an address are dropped; entries mapped to pool entries. */
export function poolFromServiceNodes(body: Record<string, any>): Snode[] {
  const states = (body?.result?.service_node_states ?? []) as Record<string, unknown>[];
  return states
    .filter((n) => n.public_ip && n.public_ip !== '0.0.0.0')
    .map((n) => ({ ip: n.public_ip as string, port: n.storage_port as number, pubkey_x25519: n.pubkey_x25519 as string, pubkey_ed25519: n.pubkey_ed25519 as string }));
}

/** getSnodePoolFromSnodes: lodash intersectionWith of three answers, compared by ip and port. */
export function intersectByIpAndPort(lists: Snode[][]): Snode[] {
  const [first = [], ...rest] = lists;
  return first.filter((a, i) => first.findIndex((b) => b.ip === a.ip && b.port === a.port) === i && rest.every((l) => l.some((b) => b.ip === a.ip && b.port === a.port)));
}

// ---------------------------------------------------------------------------------------------

/** lodash's shuffle (Fisher–Yates) on a copy. */
export function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** lodash's sampleSize. */
export function sampleSize<T>(items: readonly T[], n: number): T[] {
  return shuffle(items).slice(0, n);
}
