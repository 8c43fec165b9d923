// Domain metrics of a storage node, next to the RED metrics the platform records per route.
import { createMetrics, type ServiceMetrics } from '@starling/platform';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { ReplicationMetrics } from './replication/replication-metrics';

export interface NodeMetrics extends ReplicationMetrics {
  registry: ServiceMetrics;
  rpcRequests: Counter<'method' | 'status' | 'transport'>;
  rpcDuration: Histogram<'method' | 'transport'>;
  stores: Counter<'outcome'>;
  retrieves: Counter<string>;
  retrievedMessages: Counter<string>;
  messagesHeld: Gauge<string>;
  bytesHeld: Gauge<string>;
  swarmMembers: Gauge<string>;
  inSwarm: Gauge<string>;
  swarmChanges: Counter<string>;
  replicationQueued: Gauge<string>;
  groupCommitRows: Histogram<string>;
  expiredSwept: Counter<string>;
}

/** Methods a node forwards to its swarm peers (recursive requests), and `push` of the retry queue. */
const REPLICATED = ['store', 'delete', 'delete_all', 'delete_before', 'expire', 'expire_all', 'push'];

/** The node's domain metrics, registered on the service's metrics (its own registry when none is given: tests). */
export function createNodeMetrics(m: ServiceMetrics = createMetrics('swarm-store')): NodeMetrics {
  return {
    registry: m,
    rpcRequests: m.counter('swarm_store_rpc_requests_total', 'Storage RPC requests by method, status and transport (http, grpc, onion, forwarded)', ['method', 'status', 'transport']),
    rpcDuration: m.histogram('storage_rpc_duration_seconds', 'Time to answer a storage RPC request once its body is in, by method and transport (http, grpc, onion, forwarded)', ['method', 'transport']),
    stores: m.counter('swarm_store_stores_total', 'Store requests applied on this node by outcome (new, duplicate, refused)', ['outcome'], { outcome: ['new', 'duplicate', 'refused'] }),
    retrieves: m.counter('swarm_store_retrieves_total', 'Retrieve requests answered'),
    retrievedMessages: m.counter('swarm_store_retrieved_messages_total', 'Messages returned by retrieve'),
    messagesHeld: m.gauge('swarm_store_messages_held', 'Messages held by this node (recounted every expiry sweep)'),
    bytesHeld: m.gauge('swarm_store_bytes_held', 'Message bytes held by this node (recounted every expiry sweep)'),
    swarmMembers: m.gauge('swarm_store_swarm_members', 'Members of this node\'s swarm, itself included'),
    inSwarm: m.gauge('swarm_store_in_swarm', '1 when the network map places this node in a swarm'),
    swarmChanges: m.counter('swarm_store_swarm_changes_total', 'Network map versions that changed this node\'s swarm or its peers'),
    sends: m.counter('swarm_store_replication_sends_total', 'Requests forwarded to swarm peers by method and outcome (ok, refused, unreachable)', ['method', 'outcome'], {
      method: REPLICATED,
      outcome: ['ok', 'refused', 'unreachable'],
    }),
    failures: m.counter('swarm_store_replication_failures_total', 'Forwards to swarm peers that failed in transport and were queued', ['method'], { method: REPLICATED }),
    lag: m.histogram('swarm_store_replication_lag_seconds', 'Time from receiving a write to a peer acknowledging it (direct forwards and queued retries)'),
    replicationQueued: m.gauge('swarm_store_replication_queue_depth', 'Replication items waiting for a peer'),
    groupCommitRows: m.histogram('swarm_store_group_commit_rows', 'Rows per group-commit INSERT', [], [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]),
    expiredSwept: m.counter('swarm_store_expired_swept_total', 'Expired messages removed by the sweep'),
  };
}
