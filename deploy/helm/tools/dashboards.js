#!/usr/bin/env node
// Writes the Grafana dashboards of the charts (charts/<chart>/dashboards/*.json) from the short
// panel lists below, so that every dashboard has the same variables, datasource and layout: one row
// per concern, every panel with a description, a unit and thresholds (green, then the values that
// are bad, drawn as lines on time series).
// Run `node deploy/helm/tools/dashboards.js` after editing; test/charts checks the files are current
// and that every metric a query names is one the services register.
const fs = require('fs');
const path = require('path');

const SEL = (service) => `service="${service}", namespace=~"$namespace"`;
const SERVICES = 'registry|swarm-store|entry-relay|file-server|open-groups|push';
const ALL = `service=~"${SERVICES}", namespace=~"$namespace"`;
// The services that talk gRPC to each other (the file and community servers do not).
const GRPC_PEERS = `service=~"registry|swarm-store|entry-relay", namespace=~"$namespace"`;

// A panel: { title, type, unit, description, targets: [[expr, legend], ...], thresholds? }, where
// thresholds are [[value, color], ...] above a green base (a line on time series).
const panel = (type) => (title, unit, description, targets, thresholds) => ({ title, type, unit, description, targets, thresholds });
const ts = panel('timeseries');
const stat = panel('stat');
const rate = (expr) => `rate(${expr}[$__rate_interval])`;
const p99 = (metric, sel, by = '') => `histogram_quantile(0.99, sum by (le${by ? `, ${by}` : ''}) (${rate(`${metric}_bucket{${sel}}`)}))`;

// Rows every service dashboard ends with: availability and build, process resources, and the
// shared dependencies (database pool, Redis) where the service has them.
const health = (service) => ({
  title: 'Availability and resources',
  panels: [
    stat('Pods up', 'none', `Pods of ${service} that Prometheus scrapes on the ops port (up == 1), against all its targets; none at all is red (alerts: StarlingServiceDown, StarlingServiceAbsent).`, [[`sum(up{${SEL(service)}}) or vector(0)`, 'up'], [`count(up{${SEL(service)}}) or vector(0)`, 'targets']], [[null, 'red'], [1, 'green']]),
    stat('Versions running', 'none', 'Pods per version (starling_build_info).', [[`count by (version) (starling_build_info{${SEL(service)}})`, '{{version}}']]),
    ts('Resident memory by pod', 'bytes', 'Resident set size of each pod; compare with its memory limit (resources.limits.memory).', [[`process_resident_memory_bytes{${SEL(service)}}`, '{{pod}}']]),
    ts('CPU by pod', 'percentunit', 'CPU seconds per second used by each pod (1 = one core).', [[rate(`process_cpu_seconds_total{${SEL(service)}}`), '{{pod}}']]),
    ts('Event loop lag p99 by pod', 's', 'How late timers fire in each Node.js process: above 100 ms every request waits.', [[`nodejs_eventloop_lag_p99_seconds{${SEL(service)}}`, '{{pod}}']], [[0.1, 'orange'], [0.5, 'red']]),
  ],
});
const database = (service) => ({
  title: 'Database',
  panels: [
    ts('Database pool wait p99', 's', 'Time a query waits for a free connection of the pool (db_pool_wait_seconds); a rising wait means a pool too small or a slow database.', [[p99('db_pool_wait_seconds', SEL(service), 'pod'), '{{pod}}']], [[0.05, 'orange'], [0.5, 'red']]),
    ts('Connections taken from the pool', 'ops', 'Connections taken from the pool per second, by pod (each one timed by db_pool_wait_seconds).', [[`sum by (pod) (${rate(`db_pool_wait_seconds_count{${SEL(service)}}`)})`, '{{pod}}']]),
  ],
});
const redis = (service) => ({
  title: 'Redis',
  panels: [
    ts('Redis command latency p99 by command', 's', 'Round trip of Redis commands (rate limits, nonces); the in-process store has none.', [[p99('redis_command_duration_seconds', SEL(service), 'command'), '{{command}}']], [[0.01, 'orange'], [0.1, 'red']]),
    ts('Redis commands per second', 'ops', 'Commands sent to Redis, by command.', [[`sum by (command) (${rate(`redis_command_duration_seconds_count{${SEL(service)}}`)})`, '{{command}}']]),
  ],
});
// gRPC series label the gRPC service `grpc_service` (starling.relay.v1.RelayService): `service` is
// the Starling service Prometheus scraped them from.
const grpcServer = (service) => ({
  title: 'gRPC server',
  panels: [
    ts('gRPC calls handled by method and code', 'reqps', 'Unary calls this service answered (on their own or on a Multiplex stream), by gRPC service, method and status code.', [[`sum by (grpc_service, method, code) (${rate(`grpc_server_handled_seconds_count{${SEL(service)}}`)})`, '{{grpc_service}}/{{method}} {{code}}']]),
    ts('gRPC handling p99 by method', 's', 'Time to answer a unary call, by gRPC service and method.', [[p99('grpc_server_handled_seconds', SEL(service), 'grpc_service, method'), '{{grpc_service}}/{{method}}']], [[0.5, 'orange'], [2, 'red']]),
  ],
});
const grpcClient = (service) => ({
  title: 'gRPC client',
  panels: [
    ts('gRPC calls made by method and code', 'reqps', 'Unary calls this service made to others (registry, storage nodes, relays), each attempt, by gRPC service, method and status code.', [[`sum by (grpc_service, method, code) (${rate(`grpc_client_duration_seconds_count{${SEL(service)}}`)})`, '{{grpc_service}}/{{method}} {{code}}']]),
    ts('gRPC call latency p99 by method', 's', 'Time until the answer of an outgoing call arrived, by gRPC service and method.', [[p99('grpc_client_duration_seconds', SEL(service), 'grpc_service, method'), '{{grpc_service}}/{{method}}']], [[0.5, 'orange'], [2, 'red']]),
  ],
});
// Every listed node relays onion hops (libs/service-node): relays and storage nodes alike.
const onionHops = (service) => ({
  title: 'Onion hops',
  panels: [
    ts('Onion requests per second by entry and outcome', 'reqps', 'Onion layers received from clients (http) and other nodes (grpc), by outcome.', [[`sum by (entry, outcome) (${rate(`relay_onion_requests_total{${SEL(service)}}`)})`, '{{entry}} {{outcome}}']]),
    ts('In-flight requests by pod', 'short', 'Client requests in progress at the public edge; at the in-flight limit new ones are refused.', [[`relay_in_flight_requests{${SEL(service)}}`, '{{pod}}']]),
    ts('Admission rejections by reason', 'reqps', 'Requests refused at the edge: rate_limited (a client over its bucket) or overloaded (too many in flight).', [[`sum by (reason) (${rate(`relay_admission_rejections_total{${SEL(service)}}`)})`, '{{reason}}']]),
    ts('Hop duration p50 / p99', 's', 'From receiving a layer to answering it, including the rest of the path.', [
      [`histogram_quantile(0.5, sum by (le, entry) (${rate(`relay_onion_hop_duration_seconds_bucket{${SEL(service)}}`)}))`, 'p50 {{entry}}'],
      [p99('relay_onion_hop_duration_seconds', SEL(service), 'entry'), 'p99 {{entry}}'],
    ], [[2, 'orange'], [10, 'red']]),
  ],
});

const DASHBOARDS = {
  'starling/network-overview': {
    title: 'Starling / Network overview',
    tags: ['starling'],
    rows: [
      {
        title: 'Network',
        panels: [
          stat('Active storage nodes', 'none', 'Storage nodes in the current network map (registry).', [[`max(registry_nodes{${SEL('registry')}, role="store", status="active"})`, 'nodes']]),
          stat('Active relays', 'none', 'Relays in the current network map (registry).', [[`max(registry_nodes{${SEL('registry')}, role="relay", status="active"})`, 'relays']]),
          stat('Swarms', 'none', 'Swarms in the current network map.', [[`max(registry_swarms{${SEL('registry')}})`, 'swarms']]),
          stat('Registry leader', 'none', 'Registry replicas holding the leader lock: 1 is right, 0 freezes swarms and the map.', [[`sum(registry_leader{${SEL('registry')}}) or vector(0)`, 'leaders']], [[null, 'red'], [1, 'green'], [2, 'red']]),
        ],
      },
      {
        title: 'Availability',
        panels: [
          ts('Targets up by service', 'none', 'Pods Prometheus scrapes on their ops port, by service.', [[`sum by (service) (up{${ALL}})`, '{{service}}']]),
          ts('Versions running', 'none', 'Pods per service and version (starling_build_info).', [[`count by (service, version) (starling_build_info{${ALL}})`, '{{service}} {{version}}']]),
        ],
      },
      {
        title: 'Traffic',
        panels: [
          ts('Onion requests per second (all relays)', 'reqps', 'Onion layers the relays received, by outcome.', [[`sum by (outcome) (${rate(`relay_onion_requests_total{${SEL('entry-relay')}}`)})`, '{{outcome}}']]),
          ts('Storage RPC per second by method', 'reqps', 'Storage RPC requests the storage nodes answered, by method.', [[`sum by (method) (${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}}`)})`, '{{method}}']]),
          ts('Messages held (network)', 'short', 'Messages held by all storage nodes (each copy counted).', [[`sum(swarm_store_messages_held{${SEL('swarm-store')}})`, 'messages']]),
        ],
      },
      {
        title: 'Errors and latency',
        panels: [
          ts('HTTP 5xx ratio by service', 'percentunit', 'Share of HTTP requests answered with 5xx, by service.', [[`sum by (service) (${rate(`http_requests_total{${ALL}, status=~"5.."}`)}) / sum by (service) (${rate(`http_requests_total{${ALL}}`)})`, '{{service}}']], [[0.01, 'orange'], [0.05, 'red']]),
          ts('Storage RPC 5xx ratio', 'percentunit', 'Share of storage RPC requests answered with a 5xx status (alert: StarlingStorageRpcErrors at 5%).', [[`sum(${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}, status=~"5.."}`)}) / sum(${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}}`)})`, '5xx']], [[0.05, 'red']]),
          ts('Storage RPC p99', 's', 'Storage RPC latency, 99th percentile over all nodes (alert: StarlingStorageRpcSlow at 1 s).', [[p99('storage_rpc_duration_seconds', SEL('swarm-store')), 'p99']], [[1, 'red']]),
          ts('gRPC call latency p99 by caller and callee', 's', 'Latency of the unary calls each service makes to the others, by calling service and called gRPC service.', [[p99('grpc_client_duration_seconds', GRPC_PEERS, 'service, grpc_service'), '{{service}} → {{grpc_service}}']], [[0.5, 'orange'], [2, 'red']]),
        ],
      },
      {
        title: 'Resources',
        panels: [
          ts('Resident memory by service', 'bytes', 'Resident memory of all pods of each service together.', [[`sum by (service) (process_resident_memory_bytes{${ALL}})`, '{{service}}']]),
          ts('Event loop lag p99 by pod', 's', 'The worst Node.js event loop lag per pod: above 100 ms every request waits.', [[`max by (pod) (nodejs_eventloop_lag_p99_seconds{${ALL}})`, '{{pod}}']], [[0.1, 'orange'], [0.5, 'red']]),
        ],
      },
    ],
  },
  'registry/registry': {
    title: 'Starling / Registry',
    tags: ['starling', 'registry'],
    rows: [
      {
        title: 'Leadership and map',
        panels: [
          stat('Leaders', 'none', 'Replicas holding the leader lock: 1 is right; 0 freezes swarms and the map (alert: StarlingRegistryNoLeader).', [[`sum(registry_leader{${SEL('registry')}}) or vector(0)`, 'leaders']], [[null, 'red'], [1, 'green'], [2, 'red']]),
          stat('Map version', 'none', 'Version of the network map the replicas serve (the highest).', [[`max(registry_map_version{${SEL('registry')}})`, 'version']]),
          ts('Leader by pod', 'none', '1 on the replica that leads.', [[`max by (pod) (registry_leader{${SEL('registry')}})`, '{{pod}}']]),
          ts('Map version by pod', 'none', 'A replica behind the others serves an old map.', [[`registry_map_version{${SEL('registry')}}`, '{{pod}}']]),
          ts('Map watchers', 'short', 'Open WatchNetworkMap streams (nodes and relays following the map).', [[`sum by (pod) (registry_map_watchers{${SEL('registry')}})`, '{{pod}}']]),
        ],
      },
      {
        title: 'Nodes and swarms',
        panels: [
          ts('Nodes by role and status', 'short', 'Nodes known to the registry; active ones are in the map.', [[`max by (role, status) (registry_nodes{${SEL('registry')}})`, '{{role}} {{status}}']]),
          ts('Swarm size min / mean / max', 'short', 'Members per swarm in the current map; below the minimum size a swarm cannot hold its replicas.', [[`max by (stat) (registry_swarm_size{${SEL('registry')}})`, '{{stat}}']]),
          ts('Swarm membership changes', 'ops', 'Storage nodes that joined, left or changed swarm (each one moves data).', [[`sum(${rate(`registry_swarm_moves_total{${SEL('registry')}}`)})`, 'moves']]),
        ],
      },
      {
        title: 'Reachability and announcements',
        panels: [
          ts('Reachability tests by role and result', 'ops', 'Tests the leader runs against announced nodes.', [[`sum by (role, result) (${rate(`registry_reachability_tests_total{${SEL('registry')}}`)})`, '{{role}} {{result}}']]),
          ts('Failed reachability ratio', 'percentunit', 'Share of failing tests (alert: StarlingNodesFailingReachability at 20%).', [[`sum(${rate(`registry_reachability_tests_total{${SEL('registry')}, result="failed"}`)}) / sum(${rate(`registry_reachability_tests_total{${SEL('registry')}}`)})`, 'failed']], [[0.2, 'red']]),
          ts('Announcements by outcome', 'ops', 'Announce and Heartbeat calls from nodes and relays.', [[`sum by (kind, outcome) (${rate(`registry_announcements_total{${SEL('registry')}}`)})`, '{{kind}} {{outcome}}']]),
        ],
      },
      grpcServer('registry'),
      grpcClient('registry'),
      database('registry'),
      health('registry'),
    ],
  },
  'entry-relay/relays': {
    title: 'Starling / Relays',
    tags: ['starling', 'entry-relay'],
    rows: [
      onionHops('entry-relay'),
      {
        title: 'Refusals and the map',
        panels: [
          ts('Refused ratio', 'percentunit', 'Refusals over onion requests (alert: StarlingRelayRejecting at 5%).', [[`sum(${rate(`relay_admission_rejections_total{${SEL('entry-relay')}}`)}) / sum(${rate(`relay_onion_requests_total{${SEL('entry-relay')}}`)})`, 'refused']], [[0.05, 'red']]),
          ts('Known nodes by role', 'short', 'Nodes in the network map this relay follows.', [[`max by (role) (relay_known_nodes{${SEL('entry-relay')}})`, '{{role}}']]),
        ],
      },
      grpcServer('entry-relay'),
      grpcClient('entry-relay'),
      redis('entry-relay'),
      health('entry-relay'),
    ],
  },
  'swarm-store/swarm-storage': {
    title: 'Starling / Swarm storage',
    tags: ['starling', 'swarm-store'],
    variables: [['pod', `label_values(swarm_store_messages_held{${SEL('swarm-store')}}, pod)`]],
    rows: [
      {
        title: 'Swarms',
        panels: [
          stat('Swarms (registry)', 'none', 'Swarms in the current network map.', [[`max(registry_swarms{${SEL('registry')}})`, 'swarms']]),
          stat('Nodes outside any swarm', 'none', 'Storage nodes the map places in no swarm (alert: StarlingNodeOutsideSwarm).', [[`count(swarm_store_in_swarm{${SEL('swarm-store')}} == 0) or vector(0)`, 'nodes']], [[1, 'red']]),
          ts('Swarm size min / mean / max (registry)', 'short', 'Members per swarm in the current map.', [[`max by (stat) (registry_swarm_size{${SEL('registry')}})`, '{{stat}}']]),
          ts('Swarm membership changes', 'ops', 'Moves decided by the registry and changes seen by the nodes.', [[`sum(${rate(`registry_swarm_moves_total{${SEL('registry')}}`)})`, 'moves'], [`sum(${rate(`swarm_store_swarm_changes_total{${SEL('swarm-store')}}`)})`, 'node-side changes']]),
          ts('Swarm members seen by each node', 'short', 'Members of each node\'s swarm, itself included.', [[`swarm_store_swarm_members{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']]),
        ],
      },
      {
        title: 'Contents',
        panels: [
          ts('Messages held per node', 'short', 'Messages each node holds (recounted at every expiry sweep).', [[`swarm_store_messages_held{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']]),
          ts('Bytes held per node', 'bytes', 'Message bytes each node holds; stores fail with 507 at storage.maxStorage.', [[`swarm_store_bytes_held{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']]),
          ts('Volume space left', 'percentunit', 'Free space of each node\'s volume (kubelet; alerts: StarlingVolumeFillingUp, StarlingVolumeAlmostFull at 10%).', [[`kubelet_volume_stats_available_bytes{namespace=~"$namespace", persistentvolumeclaim=~"data-.*swarm-store-[0-9]+"} / kubelet_volume_stats_capacity_bytes{namespace=~"$namespace", persistentvolumeclaim=~"data-.*swarm-store-[0-9]+"}`, '{{persistentvolumeclaim}}']], [[0.1, 'red'], [0.25, 'orange']]),
        ],
      },
      {
        title: 'Storage RPC',
        panels: [
          ts('Storage RPC by method and status', 'reqps', 'Requests answered, by method and status.', [[`sum by (method, status) (${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, '{{method}} {{status}}']]),
          ts('Storage RPC 5xx ratio', 'percentunit', 'Share of requests answered with 5xx (alert: StarlingStorageRpcErrors at 5%).', [[`sum(${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}, pod=~"$pod", status=~"5.."}`)}) / sum(${rate(`swarm_store_rpc_requests_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, '5xx']], [[0.05, 'red']]),
          ts('Storage RPC p99 by method', 's', 'Time to answer a storage RPC request (alert: StarlingStorageRpcSlow at 1 s overall).', [[p99('storage_rpc_duration_seconds', `${SEL('swarm-store')}, pod=~"$pod"`, 'method'), '{{method}}']], [[1, 'red']]),
          ts('Storage RPC p99 by transport', 's', 'The same by how the request came: direct, through an onion path, forwarded by a peer.', [[p99('storage_rpc_duration_seconds', `${SEL('swarm-store')}, pod=~"$pod"`, 'transport'), '{{transport}}']], [[1, 'red']]),
          ts('Stores by outcome', 'ops', 'Store requests applied on this node.', [[`sum by (outcome) (${rate(`swarm_store_stores_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, '{{outcome}}']]),
          ts('Retrieves and messages returned', 'ops', 'Retrieve requests and the messages they returned.', [[`sum(${rate(`swarm_store_retrieves_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, 'retrieves'], [`sum(${rate(`swarm_store_retrieved_messages_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, 'messages']]),
        ],
      },
      {
        title: 'Replication',
        panels: [
          ts('Replication lag p50 / p99', 's', 'From receiving a write to a peer acknowledging it.', [
            [`histogram_quantile(0.5, sum by (le) (${rate(`swarm_store_replication_lag_seconds_bucket{${SEL('swarm-store')}, pod=~"$pod"}`)}))`, 'p50'],
            [p99('swarm_store_replication_lag_seconds', `${SEL('swarm-store')}, pod=~"$pod"`), 'p99'],
          ], [[5, 'orange'], [60, 'red']]),
          ts('Replication sends by outcome', 'ops', 'Requests forwarded to swarm peers.', [[`sum by (method, outcome) (${rate(`swarm_store_replication_sends_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, '{{method}} {{outcome}}']]),
          ts('Replication queue depth', 'short', 'Writes waiting for a peer (alert: StarlingReplicationBacklog above 1000).', [[`swarm_store_replication_queue_depth{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']], [[1000, 'red']]),
          ts('Replication failures by method', 'ops', 'Forwards that failed in transport and were queued.', [[`sum by (method) (${rate(`swarm_store_replication_failures_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, '{{method}}']]),
        ],
      },
      {
        title: 'Database and housekeeping',
        panels: [
          ts('Group commit rows p50', 'short', 'Rows per batched INSERT: higher under load, 1 when idle.', [[`histogram_quantile(0.5, sum by (le) (${rate(`swarm_store_group_commit_rows_bucket{${SEL('swarm-store')}, pod=~"$pod"}`)}))`, 'rows']]),
          ts('Database pool wait p99', 's', 'Time a query waits for a pool connection (database.poolSize).', [[p99('db_pool_wait_seconds', `${SEL('swarm-store')}, pod=~"$pod"`, 'pod'), '{{pod}}']], [[0.05, 'orange'], [0.5, 'red']]),
          ts('Expired messages swept', 'ops', 'Messages removed by the expiry sweep.', [[`sum(${rate(`swarm_store_expired_swept_total{${SEL('swarm-store')}, pod=~"$pod"}`)})`, 'swept']]),
        ],
      },
      onionHops('swarm-store'),
      grpcServer('swarm-store'),
      grpcClient('swarm-store'),
      redis('swarm-store'),
      health('swarm-store'),
    ],
  },
  'file-server/file-server': {
    title: 'Starling / File server',
    tags: ['starling', 'file-server'],
    rows: [
      {
        title: 'Contents',
        panels: [
          stat('Stored files', 'none', 'Live files in storage.', [[`max(file_server_stored_files{${SEL('file-server')}})`, 'files']]),
          stat('Stored bytes', 'bytes', 'Bytes of live files in storage.', [[`max(file_server_stored_bytes{${SEL('file-server')}})`, 'bytes']]),
          ts('Expired files and bytes', 'ops', 'Files (and their bytes) deleted by the expiry job.', [[`sum(${rate(`file_server_expired_files_total{${SEL('file-server')}}`)})`, 'files'], [`sum(${rate(`file_server_expired_bytes_total{${SEL('file-server')}}`)})`, 'bytes']]),
        ],
      },
      {
        title: 'Traffic',
        panels: [
          ts('Uploads and downloads per second', 'ops', 'Files stored and served.', [[`sum(${rate(`file_server_uploads_total{${SEL('file-server')}}`)})`, 'uploads'], [`sum(${rate(`file_server_downloads_total{${SEL('file-server')}}`)})`, 'downloads']]),
          ts('Upload and download throughput', 'Bps', 'Bytes accepted and served per second.', [[`sum(${rate(`file_server_upload_bytes_total{${SEL('file-server')}}`)})`, 'upload'], [`sum(${rate(`file_server_download_bytes_total{${SEL('file-server')}}`)})`, 'download']]),
          ts('Onion requests by version and outcome', 'ops', 'Requests that arrived through onion paths.', [[`sum by (version, outcome) (${rate(`file_server_onion_requests_total{${SEL('file-server')}}`)})`, 'v{{version}} {{outcome}}']]),
        ],
      },
      {
        title: 'Refusals and latency',
        panels: [
          ts('Rejections by reason', 'ops', 'Requests refused (too large, unknown or expired file, bad request).', [[`sum by (reason) (${rate(`file_server_rejections_total{${SEL('file-server')}}`)})`, '{{reason}}']]),
          ts('HTTP latency p99 by route', 's', 'Time to answer, by route.', [[p99('http_request_duration_seconds', SEL('file-server'), 'route'), '{{route}}']], [[1, 'orange'], [5, 'red']]),
        ],
      },
      database('file-server'),
      health('file-server'),
    ],
  },
  'push/push': {
    title: 'Starling / Push',
    tags: ['starling', 'push'],
    rows: [
      {
        title: 'Subscriptions and swarms',
        panels: [
          stat('Subscriptions', 'none', 'Stored subscriptions, all replicas (one per account and device).', [[`max(push_subscriptions{${SEL('push')}})`, 'subscriptions']]),
          ts('Watched accounts by pod', 'short', 'Accounts whose swarms each replica watches (every replica watches every subscribed account).', [[`push_watched_accounts{${SEL('push')}}`, '{{pod}}']]),
          ts('Monitor streams by pod', 'short', 'Monitor streams open to storage nodes: one per node of every watched swarm. None while accounts are watched means no notice can come (alert: StarlingPushNotWatching).', [[`push_monitor_streams{${SEL('push')}}`, '{{pod}}']]),
          ts('Monitor refusals by code', 'ops', 'Subscriptions a storage node refused: 6 = not in its swarm (its map lags, retried), 4 = stale signature, 5 = bad signature.', [[`sum by (errcode) (${rate(`push_monitor_refusals_total{${SEL('push')}}`)})`, 'code {{errcode}}']]),
        ],
      },
      {
        title: 'Notices and deliveries',
        panels: [
          ts('Notices received per second', 'ops', 'New-message notices from storage nodes (every member of a swarm reports each message).', [[`sum(${rate(`push_notices_received_total{${SEL('push')}}`)})`, 'notices']]),
          ts('Deliveries by provider and outcome', 'ops', 'Delivery attempts: delivered, retried, unregistered (device gone, subscription dropped), rejected, exhausted, expired, overflow.', [[`sum by (provider, outcome) (${rate(`push_deliveries_total{${SEL('push')}}`)})`, '{{provider}} {{outcome}}']]),
          ts('Undelivered ratio', 'percentunit', 'Share of final outcomes that are not a delivery or a gone device (alert: StarlingPushDeliveriesFailing at 20%).', [[`sum(${rate(`push_deliveries_total{${SEL('push')}, outcome=~"rejected|exhausted|expired|overflow"}`)}) / sum(${rate(`push_deliveries_total{${SEL('push')}, outcome!="retried"}`)})`, 'undelivered']], [[0.2, 'red']]),
          ts('Delivery attempt p99 by provider', 's', 'Time of one attempt to UnifiedPush, FCM or APNs (alert: StarlingPushDeliverySlow at 5 s).', [[p99('push_delivery_duration_seconds', SEL('push'), 'provider'), '{{provider}}']], [[1, 'orange'], [5, 'red']]),
        ],
      },
      {
        title: 'Requests',
        panels: [
          ts('Onion requests by version and outcome', 'ops', 'Subscribe and unsubscribe requests that arrived through onion paths.', [[`sum by (version, outcome) (${rate(`push_onion_requests_total{${SEL('push')}}`)})`, '{{version}} {{outcome}}']]),
          ts('HTTP latency p99 by route', 's', 'Time to answer, by route.', [[p99('http_request_duration_seconds', SEL('push'), 'route'), '{{route}}']], [[1, 'orange'], [5, 'red']]),
        ],
      },
      database('push'),
      redis('push'),
      health('push'),
    ],
  },
  'open-groups/communities': {
    title: 'Starling / Communities',
    tags: ['starling', 'open-groups'],
    rows: [
      {
        title: 'Activity',
        panels: [
          ts('Messages posted per second', 'ops', 'Room messages posted.', [[`sum(${rate(`open_groups_messages_posted_total{${SEL('open-groups')}}`)})`, 'messages']]),
          ts('Active users by room', 'short', 'Users active within the active-user window, per room.', [[`max by (room) (open_groups_active_users{${SEL('open-groups')}})`, '{{room}}']]),
          ts('Room files stored', 'short', 'Room attachments currently stored.', [[`max(open_groups_files_stored{${SEL('open-groups')}})`, 'files']]),
          ts('Room file bytes stored', 'bytes', 'Bytes of room attachments currently stored.', [[`max(open_groups_file_bytes_stored{${SEL('open-groups')}})`, 'bytes']]),
        ],
      },
      {
        title: 'Requests',
        panels: [
          ts('Requests by transport and status', 'reqps', 'Requests handled, direct or through onion paths, by status.', [[`sum by (via, status) (${rate(`open_groups_requests_total{${SEL('open-groups')}}`)})`, '{{via}} {{status}}']]),
          ts('Requests by route', 'reqps', 'Requests handled, by route template.', [[`sum by (route) (${rate(`open_groups_requests_total{${SEL('open-groups')}}`)})`, '{{route}}']]),
        ],
      },
      {
        title: 'Errors and latency',
        panels: [
          ts('HTTP 5xx ratio', 'percentunit', 'Share of requests failing with 5xx (alert: StarlingCommunityServerErrors at 2%).', [[`sum(${rate(`http_requests_total{${SEL('open-groups')}, status=~"5.."}`)}) / sum(${rate(`http_requests_total{${SEL('open-groups')}}`)})`, '5xx']], [[0.02, 'red']]),
          ts('Rejections by reason', 'ops', 'Requests refused (authentication, permissions, rate limits, bad input).', [[`sum by (reason) (${rate(`open_groups_rejections_total{${SEL('open-groups')}}`)})`, '{{reason}}']]),
          ts('HTTP latency p99 by route', 's', 'Time to answer, by route.', [[p99('http_request_duration_seconds', SEL('open-groups'), 'route'), '{{route}}']], [[1, 'orange'], [5, 'red']]),
        ],
      },
      database('open-groups'),
      redis('open-groups'),
      health('open-groups'),
    ],
  },
};

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

// Steps above a green base; a first step with value null replaces the base (0 leaders is bad).
function thresholds(steps = []) {
  const [base, rest] = steps[0]?.[0] === null ? [steps[0][1], steps.slice(1)] : ['green', steps];
  return { mode: 'absolute', steps: [{ color: base, value: null }, ...rest.map(([value, color]) => ({ color, value }))] };
}

function toPanel(p, id) {
  const isStat = p.type === 'stat';
  const defaults = { unit: p.unit, thresholds: thresholds(p.thresholds) };
  if (!isStat) defaults.custom = { thresholdsStyle: { mode: p.thresholds ? 'line' : 'off' } };
  if (isStat) defaults.color = { mode: 'thresholds' };
  return {
    id,
    title: p.title,
    description: p.description,
    type: p.type,
    datasource: DATASOURCE,
    gridPos: { h: isStat ? 4 : 8, w: isStat ? 6 : 12, x: 0, y: 0 },
    fieldConfig: { defaults, overrides: [] },
    options: isStat
      ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto', justifyMode: 'auto' }
      : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: p.targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr, legendFormat })),
  };
}

// One full-width row panel per concern, its panels flowing left to right below it.
function layout(rows) {
  const panels = [];
  let id = 0;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: ++id, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const panel = toPanel(p, ++id);
      if (x + panel.gridPos.w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panel.gridPos.x = x;
      panel.gridPos.y = y;
      x += panel.gridPos.w;
      rowHeight = Math.max(rowHeight, panel.gridPos.h);
      panels.push(panel);
    }
    y += rowHeight;
  }
  return panels;
}

function dashboard(uid, spec) {
  const variables = [
    { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
    { name: 'namespace', type: 'query', label: 'Namespace', datasource: DATASOURCE, query: 'label_values(up, namespace)', includeAll: true, multi: true, refresh: 2 },
    ...(spec.variables ?? []).map(([name, query]) => ({ name, type: 'query', label: name, datasource: DATASOURCE, query, includeAll: true, multi: true, refresh: 2 })),
  ];
  return {
    uid: `starling-${uid.split('/')[1]}`,
    title: spec.title,
    tags: spec.tags,
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: variables },
    panels: layout(spec.rows),
  };
}

function render() {
  const files = {};
  for (const [id, spec] of Object.entries(DASHBOARDS)) {
    const [chart, name] = id.split('/');
    files[path.join('charts', chart, 'dashboards', `${name}.json`)] = JSON.stringify(dashboard(id, spec), null, 2) + '\n';
  }
  return files;
}

module.exports = { render };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  for (const [file, text] of Object.entries(render())) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
