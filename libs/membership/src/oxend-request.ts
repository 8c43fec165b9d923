// `oxend_request`, which any listed node answers (storage-onion 1.6): upstream storage servers pass
// `get_service_nodes` and `ons_resolve` to their oxend; ours answer from the signed network map,
// the same node list the seed serves. There is no name service yet, so every name is unknown.
import { InvalidServiceNodeQuery, parseServiceNodeQuery, serviceNodeList, type ListedNetwork, type UniformRandom } from './service-node-list';

export type OxendAnswer = { status: 200; body: { result: Record<string, unknown> } } | { status: 400; body: string };

export function answerOxendRequest(params: unknown, network: ListedNetwork | undefined, random?: UniformRandom): OxendAnswer {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return { status: 400, body: 'invalid request: params must be an object' };
  const { endpoint, params: inner } = params as { endpoint?: unknown; params?: unknown };
  if (typeof endpoint !== 'string') return { status: 400, body: "invalid request: required field 'endpoint' missing" };
  switch (endpoint) {
    case 'get_service_nodes':
      try {
        return { status: 200, body: { result: serviceNodeList(network, parseServiceNodeQuery(inner), random) } };
      } catch (err) {
        if (!(err instanceof InvalidServiceNodeQuery)) throw err;
        return { status: 400, body: `invalid request: ${err.message}` };
      }
    case 'ons_resolve':
      // What oxend answers for a name it has no record of: a result without `encrypted_value`.
      return { status: 200, body: { result: {} } };
    default:
      return { status: 400, body: `Invalid oxend endpoint '${endpoint.slice(0, 64)}'` };
  }
}
