#!/usr/bin/env node
// Writes the Grafana dashboards of the charts (charts/<chart>/dashboards/*.json) from the short
// panel lists below, so that every dashboard has the same variables, datasource and layout.
// Run `node deploy/helm/tools/dashboards.js` after editing; test/charts checks the files are current
// and that every metric a query names is one the services register.
const fs = require('fs');
const path = require('path');

const SEL = (service) => `service="${service}", namespace=~"$namespace"`;

// A row of panels: [title, type, [[expr, legend], ...], unit]
const DASHBOARDS = {
  'starling/network-overview': {
    title: 'Starling / Network overview',
    tags: ['starling'],
    panels: [
      ['Active storage nodes', 'stat', [[`max(registry_nodes{${SEL('registry')}, role="store", status="active"})`, 'nodes']], 'none'],
      ['Active relays', 'stat', [[`max(registry_nodes{${SEL('registry')}, role="relay", status="active"})`, 'relays']], 'none'],
      ['Swarms', 'stat', [[`max(registry_swarms{${SEL('registry')}})`, 'swarms']], 'none'],
      ['Network map version', 'stat', [[`max(registry_map_version{${SEL('registry')}})`, 'version']], 'none'],
      ['Onion requests per second (all relays)', 'timeseries', [[`sum by (outcome) (rate(relay_onion_requests_total{${SEL('entry-relay')}}[$__rate_interval]))`, '{{outcome}}']], 'reqps'],
      ['Storage RPC per second by method', 'timeseries', [[`sum by (method) (rate(swarm_store_rpc_requests_total{${SEL('swarm-store')}}[$__rate_interval]))`, '{{method}}']], 'reqps'],
      ['Messages held (network)', 'timeseries', [[`sum(swarm_store_messages_held{${SEL('swarm-store')}})`, 'messages']], 'short'],
      ['HTTP 5xx ratio by service', 'timeseries', [[`sum by (service) (rate(http_requests_total{namespace=~"$namespace", status=~"5.."}[$__rate_interval])) / sum by (service) (rate(http_requests_total{namespace=~"$namespace"}[$__rate_interval]))`, '{{service}}']], 'percentunit'],
      ['Resident memory by service', 'timeseries', [[`sum by (service) (process_resident_memory_bytes{namespace=~"$namespace", service=~"registry|swarm-store|entry-relay|file-server|open-groups"})`, '{{service}}']], 'bytes'],
      ['Event loop lag p99 by pod', 'timeseries', [[`max by (pod) (nodejs_eventloop_lag_p99_seconds{namespace=~"$namespace", service=~"registry|swarm-store|entry-relay|file-server|open-groups"})`, '{{pod}}']], 's'],
      ['Registry leader', 'timeseries', [[`max by (pod) (registry_leader{${SEL('registry')}})`, '{{pod}}']], 'none'],
      ['Reachability tests by result', 'timeseries', [[`sum by (role, result) (rate(registry_reachability_tests_total{${SEL('registry')}}[$__rate_interval]))`, '{{role}} {{result}}']], 'ops'],
      ['Announcements by outcome', 'timeseries', [[`sum by (kind, outcome) (rate(registry_announcements_total{${SEL('registry')}}[$__rate_interval]))`, '{{kind}} {{outcome}}']], 'ops'],
      ['Map watchers', 'timeseries', [[`sum(registry_map_watchers{${SEL('registry')}})`, 'streams']], 'short'],
    ],
  },
  'entry-relay/relays': {
    title: 'Starling / Relays',
    tags: ['starling', 'entry-relay'],
    panels: [
      ['Onion requests per second by entry and outcome', 'timeseries', [[`sum by (entry, outcome) (rate(relay_onion_requests_total{${SEL('entry-relay')}}[$__rate_interval]))`, '{{entry}} {{outcome}}']], 'reqps'],
      ['Hop duration p50 / p99', 'timeseries', [
        [`histogram_quantile(0.5, sum by (le, entry) (rate(relay_onion_hop_duration_seconds_bucket{${SEL('entry-relay')}}[$__rate_interval])))`, 'p50 {{entry}}'],
        [`histogram_quantile(0.99, sum by (le, entry) (rate(relay_onion_hop_duration_seconds_bucket{${SEL('entry-relay')}}[$__rate_interval])))`, 'p99 {{entry}}'],
      ], 's'],
      ['Admission rejections by reason', 'timeseries', [[`sum by (reason) (rate(relay_admission_rejections_total{${SEL('entry-relay')}}[$__rate_interval]))`, '{{reason}}']], 'reqps'],
      ['In-flight requests by pod', 'timeseries', [[`relay_in_flight_requests{${SEL('entry-relay')}}`, '{{pod}}']], 'short'],
      ['Known nodes by role', 'timeseries', [[`max by (role) (relay_known_nodes{${SEL('entry-relay')}})`, '{{role}}']], 'short'],
      ['Relay pods up', 'timeseries', [[`count(up{${SEL('entry-relay')}} == 1)`, 'pods']], 'short'],
      ['CPU by pod', 'timeseries', [[`rate(process_cpu_seconds_total{${SEL('entry-relay')}}[$__rate_interval])`, '{{pod}}']], 'percentunit'],
      ['Resident memory by pod', 'timeseries', [[`process_resident_memory_bytes{${SEL('entry-relay')}}`, '{{pod}}']], 'bytes'],
    ],
  },
  'swarm-store/swarm-storage': {
    title: 'Starling / Swarm storage',
    tags: ['starling', 'swarm-store'],
    variables: [['pod', `label_values(swarm_store_messages_held{${SEL('swarm-store')}}, pod)`]],
    panels: [
      ['Swarms (registry)', 'stat', [[`max(registry_swarms{${SEL('registry')}})`, 'swarms']], 'none'],
      ['Swarm size min / mean / max (registry)', 'timeseries', [[`max by (stat) (registry_swarm_size{${SEL('registry')}})`, '{{stat}}']], 'short'],
      ['Swarm membership changes', 'timeseries', [[`sum(rate(registry_swarm_moves_total{${SEL('registry')}}[$__rate_interval]))`, 'moves'], [`sum(rate(swarm_store_swarm_changes_total{${SEL('swarm-store')}}[$__rate_interval]))`, 'node-side changes']], 'ops'],
      ['Nodes outside any swarm', 'stat', [[`count(swarm_store_in_swarm{${SEL('swarm-store')}} == 0) or vector(0)`, 'nodes']], 'none'],
      ['Swarm members seen by each node', 'timeseries', [[`swarm_store_swarm_members{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']], 'short'],
      ['Messages held per node', 'timeseries', [[`swarm_store_messages_held{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']], 'short'],
      ['Bytes held per node', 'timeseries', [[`swarm_store_bytes_held{${SEL('swarm-store')}, pod=~"$pod"}`, '{{pod}}']], 'bytes'],
      ['Storage RPC by method and status', 'timeseries', [[`sum by (method, status) (rate(swarm_store_rpc_requests_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, '{{method}} {{status}}']], 'reqps'],
      ['Stores by outcome', 'timeseries', [[`sum by (outcome) (rate(swarm_store_stores_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, '{{outcome}}']], 'ops'],
      ['Retrieves and messages returned', 'timeseries', [[`sum(rate(swarm_store_retrieves_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, 'retrieves'], [`sum(rate(swarm_store_retrieved_messages_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, 'messages']], 'ops'],
      ['Replication lag p50 / p99', 'timeseries', [
        [`histogram_quantile(0.5, sum by (le) (rate(swarm_store_replication_lag_seconds_bucket{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval])))`, 'p50'],
        [`histogram_quantile(0.99, sum by (le) (rate(swarm_store_replication_lag_seconds_bucket{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval])))`, 'p99'],
      ], 's'],
      ['Replication sends by outcome', 'timeseries', [[`sum by (method, outcome) (rate(swarm_store_replication_sends_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, '{{method}} {{outcome}}']], 'ops'],
      ['Replication queue depth and failures', 'timeseries', [[`swarm_store_replication_queue_depth{${SEL('swarm-store')}, pod=~"$pod"}`, 'queued {{pod}}'], [`sum by (method) (rate(swarm_store_replication_failures_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, 'failures {{method}}']], 'short'],
      ['Group commit rows p50', 'timeseries', [[`histogram_quantile(0.5, sum by (le) (rate(swarm_store_group_commit_rows_bucket{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval])))`, 'rows']], 'short'],
      ['Expired messages swept and rate-limited requests', 'timeseries', [[`sum(rate(swarm_store_expired_swept_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, 'swept'], [`sum(rate(swarm_store_rate_limited_total{${SEL('swarm-store')}, pod=~"$pod"}[$__rate_interval]))`, 'rate limited']], 'ops'],
    ],
  },
  'file-server/file-server': {
    title: 'Starling / File server',
    tags: ['starling', 'file-server'],
    panels: [
      ['Stored files', 'stat', [[`max(file_server_stored_files{${SEL('file-server')}})`, 'files']], 'none'],
      ['Stored bytes', 'stat', [[`max(file_server_stored_bytes{${SEL('file-server')}})`, 'bytes']], 'bytes'],
      ['Uploads and downloads per second', 'timeseries', [[`sum(rate(file_server_uploads_total{${SEL('file-server')}}[$__rate_interval]))`, 'uploads'], [`sum(rate(file_server_downloads_total{${SEL('file-server')}}[$__rate_interval]))`, 'downloads']], 'ops'],
      ['Upload and download throughput', 'timeseries', [[`sum(rate(file_server_upload_bytes_total{${SEL('file-server')}}[$__rate_interval]))`, 'upload'], [`sum(rate(file_server_download_bytes_total{${SEL('file-server')}}[$__rate_interval]))`, 'download']], 'Bps'],
      ['Rejections by reason', 'timeseries', [[`sum by (reason) (rate(file_server_rejections_total{${SEL('file-server')}}[$__rate_interval]))`, '{{reason}}']], 'ops'],
      ['Onion requests by version and outcome', 'timeseries', [[`sum by (version, outcome) (rate(file_server_onion_requests_total{${SEL('file-server')}}[$__rate_interval]))`, 'v{{version}} {{outcome}}']], 'ops'],
      ['Expired files and bytes', 'timeseries', [[`sum(rate(file_server_expired_files_total{${SEL('file-server')}}[$__rate_interval]))`, 'files'], [`sum(rate(file_server_expired_bytes_total{${SEL('file-server')}}[$__rate_interval]))`, 'bytes']], 'ops'],
      ['HTTP latency p99 by route', 'timeseries', [[`histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{${SEL('file-server')}}[$__rate_interval])))`, '{{route}}']], 's'],
    ],
  },
  'open-groups/communities': {
    title: 'Starling / Communities',
    tags: ['starling', 'open-groups'],
    panels: [
      ['Messages posted per second', 'timeseries', [[`sum(rate(open_groups_messages_posted_total{${SEL('open-groups')}}[$__rate_interval]))`, 'messages']], 'ops'],
      ['Requests by transport and status', 'timeseries', [[`sum by (via, status) (rate(open_groups_requests_total{${SEL('open-groups')}}[$__rate_interval]))`, '{{via}} {{status}}']], 'reqps'],
      ['Requests by route', 'timeseries', [[`sum by (route) (rate(open_groups_requests_total{${SEL('open-groups')}}[$__rate_interval]))`, '{{route}}']], 'reqps'],
      ['Rejections by reason', 'timeseries', [[`sum by (reason) (rate(open_groups_rejections_total{${SEL('open-groups')}}[$__rate_interval]))`, '{{reason}}']], 'ops'],
      ['Active users by room', 'timeseries', [[`max by (room) (open_groups_active_users{${SEL('open-groups')}})`, '{{room}}']], 'short'],
      ['Room files stored', 'timeseries', [[`max(open_groups_files_stored{${SEL('open-groups')}})`, 'files'], [`max(open_groups_file_bytes_stored{${SEL('open-groups')}})`, 'bytes']], 'short'],
      ['HTTP latency p99 by route', 'timeseries', [[`histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{${SEL('open-groups')}}[$__rate_interval])))`, '{{route}}']], 's'],
    ],
  },
};

function panel([title, type, targets, unit], index) {
  const width = type === 'stat' ? 6 : 12;
  return {
    id: index + 1,
    title,
    type,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: type === 'stat' ? 4 : 8, w: width, x: 0, y: 0 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'list', placement: 'bottom' } },
    targets: targets.map(([expr, legendFormat], i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat })),
  };
}

// Grafana flows panels left to right; x/y computed here keep the layout stable.
function layout(panels) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const p of panels) {
    if (x + p.gridPos.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    p.gridPos.x = x;
    p.gridPos.y = y;
    x += p.gridPos.w;
    rowHeight = Math.max(rowHeight, p.gridPos.h);
  }
  return panels;
}

function dashboard(uid, spec) {
  const variables = [
    { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' },
    { name: 'namespace', type: 'query', label: 'Namespace', datasource: { type: 'prometheus', uid: '${datasource}' }, query: 'label_values(up, namespace)', includeAll: true, multi: true, refresh: 2 },
    ...(spec.variables ?? []).map(([name, query]) => ({ name, type: 'query', label: name, datasource: { type: 'prometheus', uid: '${datasource}' }, query, includeAll: true, multi: true, refresh: 2 })),
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
    panels: layout(spec.panels.map(panel)),
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
