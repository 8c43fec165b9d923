// The public routes of every listed node, relay or storage node alike (storage-onion 1.1):
// POST /onion_req/v2 (one hop of an onion path), POST /storage_rpc/v1 (a direct storage RPC, as
// guards are tested), POST /ping_test/v1 (reachability), GET /get_stats/v1 (the version). Every client request passes the same
// admission (a token bucket per client and a cap on requests in progress); the client's address
// is used for that and nothing else.
import { bytesReply, jsonReply, textReply, type EdgeRequest, type ExactRoute, type Reply } from '@starling/platform';
import type { AdmissionControl } from '../admission/admission';
import type { HopMetrics } from '../hop-metrics';
import type { OnionHop } from '../onion/onion-hop';
import { rpcReply, type NodeRpc } from '../rpc/node-rpc';

export const ONION_ROUTE = '/onion_req/v2';

export interface NodeRoutesDeps {
  hop: Pick<OnionHop, 'handle'>;
  rpc: NodeRpc;
  admission: AdmissionControl;
  metrics: HopMetrics;
  /** Hex Ed25519 key of this node, for the ping answer. */
  pubkeyEd25519: string;
  /** Largest onion request a client may POST. */
  maxOnionBytes: number;
  /** The node's storage server version, as `get_stats` reports it. */
  version: string;
}

export function nodeRoutes({ hop, rpc, admission, metrics, pubkeyEd25519, maxOnionBytes, version }: NodeRoutesDeps): ExactRoute[] {
  const admitted = (req: EdgeRequest, handle: () => Promise<Reply>) => admit(admission, metrics, req, handle);
  const pingKey = Buffer.from(pubkeyEd25519, 'hex').toString('base64');
  return [
    {
      method: 'POST',
      path: ONION_ROUTE,
      maxBodyBytes: maxOnionBytes,
      handle: (req) =>
        admitted(req, async () => {
          const started = process.hrtime.bigint();
          const reply = await hop.handle(req.body);
          metrics.record('http', reply.outcome, Number(process.hrtime.bigint() - started) / 1e9);
          return reply;
        }),
    },
    {
      method: 'POST',
      path: '/storage_rpc/v1',
      handle: (req) =>
        req.headers['x-loki-long-poll'] !== undefined
          ? textReply(410, 'long polling is no longer supported, use short polling')
          : admitted(req, async () => rpcReply(await rpc.handleBody(req.body.toString('utf8'), 'http'))),
    },
    // Deprecated upstream (method=info says the same), but Android tests guards with it and
    // requires a version of at least 2.0.7.
    { method: 'GET', path: '/get_stats/v1', handle: () => jsonReply(200, { version }) },
    { method: 'POST', path: '/ping_test/v1', handle: () => bytesReply(200, 'text/plain', Buffer.alloc(0), { 'x-oxen-snode-pubkey': pingKey }) },
  ];
}

/** Runs `handle` if the client is within its rate and the node has room; refuses otherwise. */
async function admit(admission: AdmissionControl, metrics: HopMetrics, req: EdgeRequest, handle: () => Promise<Reply>): Promise<Reply> {
  const admitted = await admission.admit(req.peer ?? '');
  if (!admitted.admitted) {
    metrics.rejections.inc({ reason: admitted.reason });
    const retryAfter: Record<string, string> = admitted.retryAfterMs ? { 'retry-after': String(Math.ceil(admitted.retryAfterMs / 1000)) } : {};
    return textReply(admitted.status, admitted.message, retryAfter);
  }
  try {
    return await handle();
  } finally {
    admitted.release();
  }
}

/** Unknown paths, as upstream words them: "<METHOD> <path> Not Found". */
export function nodeNotFound(req: Pick<EdgeRequest, 'method' | 'path'>): Reply {
  return textReply(404, `${req.method} ${req.path.slice(0, 200)} Not Found`);
}
