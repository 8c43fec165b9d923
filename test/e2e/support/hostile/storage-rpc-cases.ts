// Hostile storage RPC requests (storage-onion 1.6): every method's valid request with one field
// replaced by something it must refuse, whole bodies that are not requests, forged and replayed
// signatures, unknown methods and batches that try to get round their caps. The same bodies go to
// POST /storage_rpc/v1 and inside onion requests, to storage nodes and relays alike.
import { ed25519KeyPairFromSeed, signEd25519, toHex } from '@starling/crypto';
import { SessionAccount } from '../session-account';
import { batchRefusal, type HostileCase } from './hostile-case';
import { deepJson, fieldSubstitutes, garbageBodies, jsonWith, RawText, type Rng } from './values';

export const STORAGE_RPC_PATH = '/storage_rpc/v1';

type Params = Record<string, unknown>;
interface Template {
  method: string;
  params: Params;
  /** Fields that may be absent (null reads as absent, so null is no hostile value there). */
  optional?: string[];
  /** Values that look hostile but the protocol gives a meaning (a negative max_size is a fraction of the budget). */
  meaningful?: Record<string, unknown[]>;
}

/** A valid request of every method, signed where the method wants it. */
export function validTemplates(account: SessionAccount, now = Date.now()): Template[] {
  const hash = 'A'.repeat(43);
  const signed = (text: string) => account.auth(text);
  return [
    // An empty message is a message (its data is empty base64).
    { method: 'store', params: account.store('a message'), optional: ['namespace'], meaningful: { data: [''] } },
    { method: 'store', params: account.store('a signed message', { namespace: 1 }), optional: ['namespace'], meaningful: { data: [''] } },
    { method: 'retrieve', params: account.retrieve(), optional: ['namespace'] },
    { method: 'retrieve', params: { ...account.retrieve(), max_count: 5, max_size: 1000 }, optional: ['namespace', 'max_count', 'max_size'], meaningful: { max_size: [-1] } },
    { method: 'delete', params: { pubkey: account.sessionId, messages: [hash], ...signed(`delete${hash}`) } },
    { method: 'delete_all', params: { pubkey: account.sessionId, namespace: 0, timestamp: now, ...signed(`delete_all${now}`) }, optional: ['namespace'] },
    { method: 'delete_before', params: { pubkey: account.sessionId, before: now, namespace: 0, ...signed(`delete_before${now}`) }, optional: ['namespace'] },
    { method: 'expire', params: { pubkey: account.sessionId, messages: [hash], expiry: now + 60_000, ...signed(`expire${now + 60_000}${hash}`) } },
    { method: 'expire_all', params: { pubkey: account.sessionId, expiry: now + 60_000, namespace: 0, ...signed(`expire_all${now + 60_000}`) }, optional: ['namespace'] },
    { method: 'get_expiries', params: { pubkey: account.sessionId, messages: [hash], timestamp: now, ...signed(`get_expiries${now}${hash}`) } },
    { method: 'get_swarm', params: { pubkey: account.sessionId } },
    // get_service_nodes without params, or with fields it does not know, lists every node.
    { method: 'oxend_request', params: { endpoint: 'get_service_nodes', params: { limit: 2, fields: { public_ip: true } } }, optional: ['params'], meaningful: { params: [{}, { a: 1 }] } },
    { method: 'batch', params: { requests: [{ method: 'info', params: {} }] } },
    { method: 'sequence', params: { requests: [{ method: 'info', params: {} }] } },
  ];
}

const body = (method: unknown, params: unknown) => jsonWith({ method, params });

function rpcCase(what: string, text: string | Buffer, batch = false): HostileCase {
  // A relay answers a batch with a nested one 200 with the nested one's 400 inside; a storage node
  // refuses the whole batch: both are refusals (storage-onion 1.6).
  return { what, method: 'POST', path: STORAGE_RPC_PATH, headers: { 'content-type': 'application/json' }, body: text, ...(batch ? { refusal: batchRefusal } : {}) };
}

/** Each field of each template replaced by `perField` hostile values drawn at random. */
export function fieldCases(templates: Template[], rng: Rng, perField: number): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const t of templates) {
    for (const field of Object.keys(t.params)) {
      const meaningful = (v: unknown) => t.meaningful?.[field]?.some((m) => JSON.stringify(m) === JSON.stringify(v)) ?? false;
      const substitutes = fieldSubstitutes().filter((v) => !(v === null && t.optional?.includes(field)) && !meaningful(v));
      for (const value of rng.sample(substitutes, perField)) {
        const label = value instanceof RawText ? value.text.slice(0, 24) : JSON.stringify(value);
        cases.push(rpcCase(`${t.method}: ${field} = ${label}`, body(t.method, { ...t.params, [field]: value }), t.method === 'batch' || t.method === 'sequence'));
      }
    }
  }
  return cases;
}

/** Signatures that must not pass: forged, of another account, of another request, stale, malformed. */
function signatureCases(account: SessionAccount, rng: Rng): HostileCase[] {
  const other = new SessionAccount();
  const now = Date.now();
  const retrieve = account.retrieve();
  const stale = now - 10 * 60_000;
  const foreignSecret = ed25519KeyPairFromSeed(rng.bytes(32)).secretKey;
  const cases: [string, Params][] = [
    ['a forged signature', { ...retrieve, signature: rng.bytes(64).toString('base64') }],
    ['a signature of 63 bytes', { ...retrieve, signature: rng.bytes(63).toString('base64') }],
    ['a signature in hex', { ...retrieve, signature: toHex(rng.bytes(64)) }],
    ['another account’s signature', { ...retrieve, signature: other.auth(`retrieve${retrieve.timestamp}`).signature }],
    ['another account’s pubkey_ed25519', { ...retrieve, pubkey_ed25519: other.ed25519Hex }],
    ['a key that signs but is not the account', { ...retrieve, signature: Buffer.from(signEd25519(foreignSecret, Buffer.from(`retrieve${retrieve.timestamp}`))).toString('base64') }],
    ['a signature replayed with another timestamp', { ...retrieve, timestamp: (retrieve.timestamp as number) + 1 }],
    ['a signature replayed on another namespace', { ...retrieve, namespace: 2 }],
    ['a signature ten minutes old', { ...retrieve, timestamp: stale, ...account.auth(`retrieve${stale}`) }],
    ['a signature a day ahead', { ...retrieve, timestamp: now + 86_400_000, ...account.auth(`retrieve${now + 86_400_000}`) }],
    ['a subaccount token of junk', { ...retrieve, subaccount: rng.bytes(36).toString('base64'), subaccount_sig: rng.bytes(64).toString('base64') }],
    ['a subaccount without its signature', { ...retrieve, subaccount: rng.bytes(36).toString('base64') }],
    ['no signature at all', { pubkey: account.sessionId, timestamp: now }],
  ];
  const methods = (params: Params, what: string) => [
    rpcCase(`retrieve: ${what}`, body('retrieve', params)),
    rpcCase(`delete_all: ${what}`, body('delete_all', { ...params, namespace: 'all' })),
    rpcCase(`get_expiries: ${what}`, body('get_expiries', { ...params, messages: ['A'.repeat(43)] })),
  ];
  // The same timestamp and key, but a signature made for retrieve, not for delete_all.
  const replayed = rpcCase('delete_all: a retrieve signature replayed', body('delete_all', { pubkey: account.sessionId, timestamp: retrieve.timestamp, signature: retrieve.signature, pubkey_ed25519: account.ed25519Hex }));
  return [...cases.flatMap(([what, params]) => methods(params, what)), replayed];
}

/** Batches over their cap, nested, or carrying hostile subrequests. */
function batchCases(account: SessionAccount): HostileCase[] {
  const info = { method: 'info', params: {} };
  const out: HostileCase[] = [];
  for (const kind of ['batch', 'sequence']) {
    out.push(
      rpcCase(`${kind} of 21 subrequests`, body(kind, { requests: Array(21).fill(info) }), true),
      rpcCase(`${kind} of 10,000 subrequests`, body(kind, { requests: Array(10_000).fill(info) }), true),
      rpcCase(`${kind} of none`, body(kind, { requests: [] }), true),
      rpcCase(`${kind} nested in ${kind}`, body(kind, { requests: [{ method: kind, params: { requests: [info] } }] }), true),
      rpcCase(`${kind} nested 20 deep`, body(kind, { requests: [JSON.parse(nestedBatch(kind, 20))] }), true),
      rpcCase(`${kind} of ifelse`, body(kind, { requests: [{ method: 'ifelse', params: { if: {}, then: info } }] }), true),
      rpcCase(`${kind} with a subrequest nested 10,000 deep`, jsonWith({ method: kind, params: { requests: [{ method: 'info', params: new RawText(deepJson(10_000, 'object')) }] } }), true),
      rpcCase(`${kind} of subrequests that are not objects`, body(kind, { requests: [1, 'x', null, [], true] }), true),
      rpcCase(`${kind} of unknown methods`, body(kind, { requests: Array(20).fill({ method: 'teleport', params: {} }) }), true),
      rpcCase(`${kind} of stores with forged signatures`, body(kind, { requests: Array(20).fill({ method: 'store', params: { ...account.store('x', { namespace: 1 }), signature: Buffer.alloc(64).toString('base64') } }) }), true),
      rpcCase(`${kind} of retrieves with huge numbers`, jsonWith({ method: kind, params: { requests: Array(20).fill({ method: 'retrieve', params: { ...account.retrieve(), max_count: new RawText('1e400') } }) } }), true),
    );
  }
  return out;
}

function nestedBatch(kind: string, depth: number): string {
  let inner = '{"method":"info","params":{}}';
  for (let i = 0; i < depth; i++) inner = `{"method":"${kind}","params":{"requests":[${inner}]}}`;
  return inner;
}

/** Method names no node serves, some of them names of JavaScript's own object machinery. */
function unknownMethodCases(rng: Rng): HostileCase[] {
  const names = ['teleport', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'INFO', 'info ', ' store', 'store\u0000', 'ifelse', 'revoke_subaccount', 'monitor', 'get_stats', '', rng.word(10_000), 'ὕδωρ'];
  return names.map((n) => rpcCase(`method ${JSON.stringify(n.slice(0, 24))}`, body(n, {})));
}

/** Requests with the wrong shape around a valid method. */
function shapeCases(): HostileCase[] {
  return [
    rpcCase('method as a number', body(7, {})),
    rpcCase('method as a list', body(['info'], {})),
    rpcCase('method missing', jsonWith({ params: {} })),
    rpcCase('params as a list', body('get_swarm', [1])),
    rpcCase('params as a string', body('get_swarm', 'pubkey')),
    rpcCase('params as a number', body('get_swarm', new RawText('1e400'))),
    rpcCase('params nested 10,000 deep', jsonWith({ method: 'info', params: new RawText(deepJson(10_000, 'object')) })),
    rpcCase('params with __proto__', '{"method":"get_swarm","params":{"__proto__":{"pubkey":"05"}}}'),
    rpcCase('get_swarm with a 33-byte key of 02', body('get_swarm', { pubkey: `ff${'00'.repeat(32)}x` })),
    rpcCase('oxend_request to another endpoint', body('oxend_request', { endpoint: 'get_info' })),
    rpcCase('oxend_request with a negative limit', body('oxend_request', { endpoint: 'get_service_nodes', params: { limit: -1 } })),
    rpcCase('oxend_request with fields of numbers', body('oxend_request', { endpoint: 'get_service_nodes', params: { fields: [1, 2] } })),
  ];
}

/** Every hostile storage RPC body, in a reproducible order for one seed. */
export function storageRpcCases(rng: Rng, perField = 4): HostileCase[] {
  const account = new SessionAccount();
  const example = JSON.stringify({ method: 'retrieve', params: account.retrieve() });
  return [
    ...garbageBodies(rng, example).map((g) => rpcCase(g.what, g.body)),
    ...fieldCases(validTemplates(account), rng, perField),
    ...signatureCases(account, rng),
    ...batchCases(account),
    ...unknownMethodCases(rng),
    ...shapeCases(),
  ];
}
