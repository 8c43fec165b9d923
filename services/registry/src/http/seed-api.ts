// POST /json_rpc: the seed API clients bootstrap from, oxend's JSON-RPC `get_n_service_nodes`
// (alias `get_service_nodes`), answered from the map this replica holds with the node list every
// listed node also serves (libs/membership service-node-list). This file is the JSON-RPC
// envelope: the body is read as text whatever its content type (as oxend does), and every answer
// is exactly `application/json` (Session clients compare the header as a string).
import { serviceNodeList, parseServiceNodeQuery, InvalidServiceNodeQuery, type UniformRandom } from '@starling/membership';
import { jsonReply, MAX_JSON_DEPTH, nestingDepth, parseJson, type ExactRoute, type Reply } from '@starling/platform';
import type { PublishedMap } from '../map/map-store';

export const SEED_METHODS = new Set(['get_n_service_nodes', 'get_service_nodes']);

/**
 * Seed requests are a few hundred bytes (every field named is under 1 KiB); anything far larger
 * is not one, and the largest body allowed is the seed's most expensive request.
 */
export const MAX_SEED_BODY = 8 * 1024;

/** Longest string id echoed back (clients send small numbers or short strings). */
export const MAX_ID_LENGTH = 256;

function isRequestId(id: unknown): boolean {
  return id === null || typeof id === 'number' || (typeof id === 'string' && id.length <= MAX_ID_LENGTH);
}

function rpcError(id: unknown, status: number, code: number, message: string): Reply {
  return jsonReply(status, { jsonrpc: '2.0', id, error: { code, message } });
}

/**
 * Answers one JSON-RPC request body. Parse errors are HTTP 400; protocol errors (unknown method,
 * bad params) are HTTP 200 with a JSON-RPC error object, as oxend answers them.
 */
export function answerSeedRequest(body: string, current: PublishedMap | undefined, random?: UniformRandom): Reply {
  const parsed = parseJson(body);
  if (!parsed.ok) {
    const tooDeep = nestingDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH;
    return rpcError(null, 400, -32700, tooDeep ? `Parse error: JSON nested deeper than ${MAX_JSON_DEPTH} levels` : 'Parse error: body is not JSON');
  }
  const request = parsed.value;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return rpcError(null, 400, -32600, 'Invalid request: expected a JSON object');
  }
  const { id = null, method, params } = request as Record<string, unknown>;
  // The answer carries the id back: only the kinds JSON-RPC allows, and short, so that no request
  // makes its refusal as big as itself.
  if (!isRequestId(id)) return rpcError(null, 400, -32600, `Invalid request: id must be a number, null or a string of at most ${MAX_ID_LENGTH} characters`);
  if (typeof method !== 'string') return rpcError(id, 400, -32600, 'Invalid request: method is missing');
  if (!SEED_METHODS.has(method)) return rpcError(id, 200, -32601, `Method not found: ${method.slice(0, 64)}`);
  let query;
  try {
    query = parseServiceNodeQuery(params);
  } catch (err) {
    if (!(err instanceof InvalidServiceNodeQuery)) throw err;
    return rpcError(id, 200, -32602, `Invalid params: ${err.message}`);
  }
  const network = current && { version: current.version, hash: current.hash, nodes: current.map.nodes };
  return jsonReply(200, { jsonrpc: '2.0', id, result: serviceNodeList(network, query, random) });
}

export function seedRoute(current: () => PublishedMap | undefined): ExactRoute {
  return {
    method: 'POST',
    path: '/json_rpc',
    maxBodyBytes: MAX_SEED_BODY,
    handle: (req) => answerSeedRequest(req.body.toString('utf8'), current()),
  };
}
