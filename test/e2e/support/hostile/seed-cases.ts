// Hostile requests to the seed API (POST /json_rpc, the registry's public surface): bodies that are
// not JSON-RPC, every parameter of get_n_service_nodes with a value it must refuse, ids that try to
// make the answer echo them at length, and methods oxend does not serve here.
import { anyClientError, type HostileCase, type RefusalRule } from './hostile-case';
import { fieldSubstitutes, garbageBodies, jsonWith, RawText, type Rng } from './values';

export const SEED_PATH = '/json_rpc';

/**
 * oxend answers a protocol error (unknown method, bad params) with HTTP 200 and a JSON-RPC error
 * object; a body that is no request at all with a 4xx.
 */
export const seedRefusal: RefusalRule = (status, body) => {
  if (status !== 200) return anyClientError(status, body);
  try {
    const answer = JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } };
    if (typeof answer.error?.code !== 'number') return 'a 200 without a JSON-RPC error';
  } catch {
    return 'a 200 that is not JSON';
  }
  return anyClientError(400, body);
};

const seedCase = (what: string, body: string | Buffer): HostileCase => ({ what, method: 'POST', path: SEED_PATH, headers: { 'content-type': 'application/json' }, body, refusal: seedRefusal });

export function seedCases(rng: Rng, perField = 12): HostileCase[] {
  const valid = { jsonrpc: '2.0', id: 1, method: 'get_n_service_nodes', params: { active_only: true, limit: 5, fields: { public_ip: true, storage_port: true } } };
  const cases: HostileCase[] = garbageBodies(rng, JSON.stringify(valid), { random: 50, truncated: 50 }).map((g) => seedCase(g.what, g.body));
  const substitutes = fieldSubstitutes().filter((v) => v !== null);
  const draws = (n: number) => rng.sample(substitutes, n);
  const label = (v: unknown) => (v instanceof RawText ? v.text.slice(0, 24) : JSON.stringify(v));
  for (const field of ['active_only', 'limit', 'fields', 'poll_block_hash']) {
    for (const value of draws(perField)) {
      // A value of the type the field wants is no hostile value for it.
      if ((field === 'active_only' && typeof value === 'boolean') || (field === 'poll_block_hash' && typeof value === 'string')) continue;
      if (field === 'limit' && typeof value === 'number' && Number.isInteger(value) && value >= 0) continue;
      if (field === 'fields' && typeof value === 'object' && value !== null && !(value instanceof RawText) && (Array.isArray(value) ? value.every((v) => typeof v === 'string') : Object.values(value).every((v) => typeof v === 'boolean'))) continue;
      cases.push(seedCase(`params.${field} = ${label(value)}`, jsonWith({ ...valid, params: { ...valid.params, [field]: value } })));
    }
  }
  for (const value of draws(perField)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawText)) continue;
    cases.push(seedCase(`params = ${label(value)}`, jsonWith({ ...valid, params: value })));
  }
  for (const value of draws(perField)) if (typeof value !== 'string') cases.push(seedCase(`method = ${label(value)}`, jsonWith({ ...valid, method: value })));
  for (const name of ['get_info', 'ons_resolve', '__proto__', 'constructor', 'get_n_service_nodes ', 'GET_N_SERVICE_NODES', '', rng.word(7_000)]) {
    cases.push(seedCase(`method ${JSON.stringify(name.slice(0, 24))}`, jsonWith({ ...valid, method: name })));
  }
  // The answer carries the id back: one that is no JSON-RPC id must not make it grow.
  const bigId = rng.word(7_000);
  cases.push(
    seedCase('an id of 7 KB with an unknown method', jsonWith({ ...valid, id: bigId, method: 'teleport' })),
    seedCase('an id of 7 KB with bad params', jsonWith({ ...valid, id: bigId, params: { limit: -1 } })),
    seedCase('an id of a big object with an unknown method', jsonWith({ ...valid, id: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])), method: 'teleport' })),
    seedCase('an id nested 10,000 deep', jsonWith({ ...valid, id: new RawText('['.repeat(10_000) + ']'.repeat(10_000)) })),
    seedCase('params with 1,000 fields asked for', jsonWith({ ...valid, params: { fields: Array.from({ length: 1_000 }, (_, i) => `f${i}`), limit: 'x' } })),
    seedCase('jsonrpc of a number', jsonWith({ ...valid, jsonrpc: new RawText('1e400'), method: 'teleport' })),
  );
  return cases;
}
