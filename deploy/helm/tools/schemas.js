#!/usr/bin/env node
// Writes charts/<chart>/values.schema.json. Helm validates values against a chart's own schema
// only (no references across charts), so the shared parts are defined once here and copied into
// every chart's schema. Run `node deploy/helm/tools/schemas.js` after changing values;
// test/charts checks the files are current and that every values and ci file validates.
const fs = require('fs');
const path = require('path');

const str = (extra = {}) => ({ type: 'string', ...extra });
const bool = { type: 'boolean' };
const int = (minimum, maximum) => ({ type: 'integer', ...(minimum !== undefined ? { minimum } : {}), ...(maximum !== undefined ? { maximum } : {}) });
const obj = (properties, extra = {}) => ({ type: 'object', additionalProperties: false, properties, ...extra });
const anyObj = { type: 'object' };
const list = (items = {}) => ({ type: 'array', items });
const port = int(1, 65535);
const quantity = { type: ['string', 'number'], pattern: '^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$' };
const duration = str({ pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)?$' });
const bytes = str({ pattern: '^[0-9]+(\\.[0-9]+)?\\s*([kKmMgG][iI]?[bB]|[bB])?$' });
const intOrPercent = { type: ['integer', 'string'], pattern: '^[0-9]+%?$' };

// PostgreSQL / Redis connection: a URL, or an existing Secret holding it.
const connection = (schemes, extra = {}) =>
  obj({
    url: str({ pattern: `^$|^(${schemes.join('|')})://` }),
    existingSecret: str(),
    existingSecretKey: str(),
    ...extra,
  });
const POSTGRES = ['postgres', 'postgresql'];
const REDIS = ['redis', 'rediss'];
const schemaName = str({ pattern: '^$|^[a-z_][a-z0-9_]{0,62}$' });

const GLOBAL = {
  type: 'object',
  properties: {
    imageRegistry: str(),
    imagePullSecrets: list(str()),
    logLevel: str({ enum: ['', 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] }),
    database: connection(POSTGRES),
    redis: connection(REDIS),
    registryAddress: str({ pattern: '^$|^[^:/]+:[0-9]+$' }),
    registryGrpcPort: port,
    registryPubkey: str({ pattern: '^$|^[0-9a-f]{64}$' }),
    serviceMonitor: obj({ enabled: bool, additionalLabels: anyObj }),
    prometheusRule: obj({ enabled: bool }),
    dashboards: obj({ enabled: bool }),
    // The TURN server (chart `turn`) and the file server that issues credentials for it.
    turn: obj({
      enabled: bool,
      host: str({ pattern: '^$|^[A-Za-z0-9.-]+$|^[0-9A-Fa-f:.]+$' }),
      port,
      tcp: bool,
      existingSecret: str(),
      existingSecretKey: str({ minLength: 1 }),
    }),
  },
};

const probe = obj({
  enabled: bool,
  path: str({ pattern: '^/' }),
  // TCP connect to this named container port when there is no path.
  port: str({ minLength: 1 }),
  custom: anyObj,
  initialDelaySeconds: int(0),
  periodSeconds: int(1),
  timeoutSeconds: int(1),
  successThreshold: int(1),
  failureThreshold: int(1),
});

const resources = obj({
  requests: obj({ cpu: quantity, memory: quantity, 'ephemeral-storage': quantity }),
  limits: obj({ cpu: quantity, memory: quantity, 'ephemeral-storage': quantity }),
});

const serviceMonitor = obj({
  enabled: bool,
  namespace: str(),
  interval: duration,
  scrapeTimeout: duration,
  additionalLabels: anyObj,
  relabelings: list(anyObj),
});

const COMMON = {
  enabled: { type: 'boolean', description: 'Used by the umbrella chart to switch this service off.' },
  // Helm adds a values block for every dependency, the library chart included.
  'starling-common': { type: 'object', description: 'Values block Helm adds for the library chart (unused).' },
  global: GLOBAL,
  nameOverride: str(),
  fullnameOverride: str(),
  image: obj(
    {
      registry: str(),
      repository: str({ minLength: 1 }),
      tag: { type: ['string', 'number'] },
      digest: str({ pattern: '^$|^sha256:[a-f0-9]{64}$' }),
      pullPolicy: str({ enum: ['Always', 'IfNotPresent', 'Never'] }),
    },
    { required: ['repository'] },
  ),
  imagePullSecrets: list(str()),
  logLevel: str({ enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] }),
  env: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  extraEnv: list(obj({ name: str({ minLength: 1 }), value: str(), valueFrom: anyObj }, { required: ['name'] })),
  envFrom: list(anyObj),
  existingEnvSecret: str(),
  serviceAccount: obj({ create: bool, name: str(), annotations: anyObj, automountServiceAccountToken: bool }),
  podAnnotations: anyObj,
  podLabels: anyObj,
  podSecurityContext: anyObj,
  containerSecurityContext: anyObj,
  tmpSizeLimit: quantity,
  probes: obj({ startup: probe, readiness: probe, liveness: probe }, { required: ['startup', 'readiness', 'liveness'] }),
  networkPolicy: obj({
    enabled: bool,
    metrics: obj({ namespaceSelector: anyObj, podSelector: anyObj }),
    extraIngress: list(anyObj),
    restrictEgress: bool,
    extraEgress: list(anyObj),
  }),
  metrics: obj({
    enabled: bool,
    path: str({ pattern: '^/' }),
    serviceMonitor,
    prometheusRule: obj(
      {
        enabled: bool,
        namespace: str(),
        additionalLabels: anyObj,
        runbookBaseUrl: str({ pattern: '^https?://[^#]+$' }),
        disabled: list(str({ pattern: '^Starling[A-Za-z]+$' })),
        extraRules: list(obj({ alert: str({ minLength: 1 }), record: str({ minLength: 1 }), expr: { type: ['string', 'number'] }, for: duration, keep_firing_for: duration, labels: anyObj, annotations: anyObj }, { required: ['expr'] })),
      },
      { required: ['enabled', 'runbookBaseUrl', 'disabled', 'extraRules'] },
    ),
  }),
  // Graceful shutdown: the drain delay (<PREFIX>_DRAIN_DELAY) and the time to close after it; the
  // chart checks that terminationGracePeriodSeconds exceeds their sum.
  shutdown: obj({ drainDelaySeconds: int(0, 300), closeSeconds: int(1, 600) }, { required: ['drainDelaySeconds', 'closeSeconds'] }),
  dashboards: obj({ enabled: bool, namespace: str(), labels: anyObj, annotations: anyObj }),
  revisionHistoryLimit: int(0),
  terminationGracePeriodSeconds: int(0),
  priorityClassName: str(),
  nodeSelector: anyObj,
  tolerations: list(anyObj),
  affinity: anyObj,
  podAntiAffinityPreset: str({ enum: ['', 'soft', 'hard'] }),
  topologySpreadConstraints: list(anyObj),
  extraVolumes: list(anyObj),
  extraVolumeMounts: list(anyObj),
  resources,
  updateStrategy: anyObj,
  clusterDomain: str({ minLength: 1 }),
};

const service = obj({
  type: str({ enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }),
  annotations: anyObj,
  port,
  loadBalancerIP: str(),
  loadBalancerSourceRanges: list(str()),
  externalTrafficPolicy: str({ enum: ['', 'Cluster', 'Local'] }),
});
const ingress = obj({
  enabled: bool,
  className: str(),
  annotations: anyObj,
  hosts: list(obj({ host: str({ minLength: 1 }), paths: list(obj({ path: str({ pattern: '^/' }), pathType: str({ enum: ['Prefix', 'Exact', 'ImplementationSpecific'] }) }, { required: ['path'] })) }, { required: ['host'] })),
  tls: list(obj({ secretName: str(), hosts: list(str()) })),
});
const autoscaling = obj(
  {
    enabled: bool,
    minReplicas: int(1),
    maxReplicas: int(1),
    targetCPUUtilizationPercentage: int(0, 100),
    targetMemoryUtilizationPercentage: int(0, 100),
    behavior: anyObj,
  },
  { required: ['enabled', 'minReplicas', 'maxReplicas'] },
);
const pdb = obj({ enabled: bool, maxUnavailable: intOrPercent, minAvailable: intOrPercent });
const keys = obj({ existingSecret: str(), existingSecretKey: str({ minLength: 1 }) }, { required: ['existingSecretKey'] });
const persistence = (extra = {}) =>
  obj({
    enabled: bool,
    storageClass: str(),
    accessModes: list(str({ enum: ['ReadWriteOnce', 'ReadWriteMany', 'ReadWriteOncePod', 'ReadOnlyMany'] })),
    size: quantity,
    annotations: anyObj,
    ...extra,
  });
const ports = (names) => obj(Object.fromEntries(names.map((n) => [n, port])), { required: names });
// What every listed node has on its public port (relays and storage nodes alike).
const relay = obj({
  bucketCapacity: int(1),
  bucketRefill: int(1),
  maxInFlight: int(1),
  hopTimeout: duration,
  proxyTimeout: duration,
  proxyAllow: str(),
});
const tls = obj({ existingSecret: str(), plainHttp: bool });
// host, host:port, [v6] or [v6]:port (a bare IPv6 address cannot be told from host:port).
const publicAddress = str({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[^\\s:\\[\\]]+)(:[0-9]{1,5})?$' });

const CHARTS = {
  registry: {
    description: 'Starling registry',
    properties: {
      replicaCount: int(1),
      ports: ports(['http', 'grpc', 'ops']),
      database: connection(POSTGRES, { schema: schemaName }),
      swarm: obj({ minSize: int(1), targetSize: int(1), margin: int(0) }, { required: ['minSize', 'targetSize', 'margin'] }),
      service,
      ingress,
      podDisruptionBudget: pdb,
    },
  },
  'swarm-store': {
    description: 'Starling storage nodes',
    properties: {
      replicaCount: int(1),
      ports: ports(['http', 'grpc', 'ops']),
      podManagementPolicy: str({ enum: ['Parallel', 'OrderedReady'] }),
      persistence: persistence({ retentionPolicy: obj({ whenDeleted: str({ enum: ['Retain', 'Delete'] }), whenScaled: str({ enum: ['Retain', 'Delete'] }) }) }),
      database: connection(POSTGRES, {
        schemaTemplate: str({ pattern: '^$|^[a-z_$][a-z0-9_$()A-Z]{0,80}$' }),
        poolSize: int(1, 100),
        perNode: obj({ urlTemplate: str({ pattern: '^$|^postgres(ql)?://' }), passwordSecret: str(), passwordSecretKey: str() }),
      }),
      redis: connection(REDIS),
      storage: obj({ maxStorage: bytes, accountQuota: bytes }, { required: ['maxStorage', 'accountQuota'] }),
      service: obj({ annotations: anyObj }),
      publicService: obj({
        enabled: bool,
        type: str({ enum: ['LoadBalancer', 'NodePort'] }),
        port,
        externalTrafficPolicy: str({ enum: ['', 'Cluster', 'Local'] }),
        loadBalancerSourceRanges: list(str()),
        annotations: anyObj,
        addresses: list(publicAddress),
      }),
      relay,
      rateLimitSecret: keys,
      tls,
      podDisruptionBudget: pdb,
    },
  },
  'entry-relay': {
    description: 'Starling relays',
    properties: {
      groups: list(
        obj(
          {
            name: str({ pattern: '^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$' }),
            replicaCount: int(1),
            autoscaling,
            service,
            publicHost: str(),
            keys,
            tls,
            podDisruptionBudget: pdb,
          },
          { required: ['name'] },
        ),
      ),
      replicaCount: int(1),
      ports: ports(['http', 'grpc', 'ops']),
      service: { ...service, required: ['type', 'port'] },
      publicHost: str(),
      keys,
      rateLimitSecret: keys,
      tls,
      redis: connection(REDIS),
      relay,
      autoscaling,
      podDisruptionBudget: pdb,
    },
    extra: { groups: { minItems: 1, uniqueItems: true } },
  },
  'file-server': {
    description: 'Starling file server',
    properties: {
      replicaCount: int(1),
      ports: ports(['http', 'ops']),
      database: connection(POSTGRES, { schema: schemaName }),
      files: obj({
        blobStore: str({ enum: ['db', 'folder'] }),
        maxBytes: bytes,
        defaultTtl: duration,
        minTtl: duration,
        maxTtl: duration,
        publicUrl: str({ pattern: '^$|^https?://' }),
      }),
      keys,
      turn: obj({
        uris: list(str({ pattern: '^turns?:[^\\s,]+$' })),
        existingSecret: str(),
        existingSecretKey: str({ minLength: 1 }),
        credentialTtl: duration,
      }),
      persistence: persistence({ existingClaim: str() }),
      service,
      ingress,
      autoscaling,
      podDisruptionBudget: pdb,
    },
  },
  'open-groups': {
    description: 'Starling community server',
    properties: {
      replicaCount: int(1),
      ports: ports(['http', 'ops']),
      database: connection(POSTGRES, { schema: schemaName }),
      redis: connection(REDIS),
      communities: obj({
        rooms: str({ pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$' }),
        baseUrl: str({ pattern: '^$|^https?://' }),
        requireBlinding: bool,
        fileExpiryDays: int(0),
        maxFileSize: bytes,
        dmExpiryDays: int(1),
      }),
      keys,
      service,
      ingress,
      autoscaling,
      podDisruptionBudget: pdb,
    },
  },
  push: {
    description: 'Starling push server',
    properties: {
      replicaCount: int(1),
      ports: ports(['http', 'ops']),
      database: connection(POSTGRES, { schema: schemaName }),
      redis: connection(REDIS),
      push: obj({
        publicUrl: str({ pattern: '^$|^https?://' }),
        rescanInterval: duration,
        dedupWindow: duration,
        delivery: obj({ concurrency: int(1, 10000), queue: int(1), attempts: int(1, 20), backoff: duration, maxBackoff: duration, timeout: duration }),
      }),
      providers: obj({
        unifiedPush: obj({ enabled: bool, allowPrivateAddresses: bool }),
        fcm: obj({ existingSecret: str(), existingSecretKey: str({ minLength: 1 }), serviceAccountJson: str(), endpoint: str({ pattern: '^$|^https?://' }) }),
        apns: obj({
          existingSecret: str(),
          existingSecretKey: str({ minLength: 1 }),
          keyPem: str(),
          keyId: str({ pattern: '^$|^[A-Z0-9]{10}$' }),
          teamId: str({ pattern: '^$|^[A-Z0-9]{10}$' }),
          topic: str(),
          origin: str({ pattern: '^https://' }),
        }),
      }),
      keys,
      persistence: persistence({ existingClaim: str() }),
      service,
      ingress,
      autoscaling,
      podDisruptionBudget: pdb,
    },
  },
};

// coturn's chart: its own program and image, so none of the Node.js service settings (log level,
// env, dashboards, ...) apply; the rest of COMMON does.
const ipv4Cidr = '^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$';
const ipv6Cidr = '^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$';
const cidrs = list({ type: 'string', anyOf: [{ pattern: ipv4Cidr }, { pattern: ipv6Cidr }] });
const nonNegative = int(0);
const TURN = {
  description: 'Starling TURN server (coturn)',
  omit: ['enabled', 'logLevel', 'env', 'extraEnv', 'envFrom', 'existingEnvSecret', 'dashboards', 'clusterDomain', 'shutdown'],
  properties: {
    ports: ports(['turn', 'metrics']),
    relayPorts: obj({ min: int(1024, 65535), max: int(1024, 65535) }, { required: ['min', 'max'] }),
    realm: str({ pattern: '^[A-Za-z0-9._-]+$' }),
    externalIP: str({ pattern: '^$|^([0-9]{1,3}\\.){3}[0-9]{1,3}$' }),
    deniedPeerCIDRs: cidrs,
    extraDeniedPeerCIDRs: cidrs,
    limits: obj({ userQuota: nonNegative, totalQuota: nonNegative, maxBps: nonNegative }),
    logging: str({ enum: ['none', 'errors'] }),
    extraArgs: list(str({ pattern: '^--?[A-Za-z]' })),
    service: obj({
      type: str({ enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }),
      annotations: anyObj,
      loadBalancerIP: str(),
      loadBalancerSourceRanges: list(str()),
      externalTrafficPolicy: str({ enum: ['', 'Cluster', 'Local'] }),
      exposeRelayPorts: bool,
    }),
    networkPolicy: obj({
      enabled: bool,
      metrics: obj({ namespaceSelector: anyObj, podSelector: anyObj }),
      extraIngress: list(anyObj),
      extraEgress: list(anyObj),
    }),
    metrics: obj({
      enabled: bool,
      portName: str({ minLength: 1 }),
      path: str({ pattern: '^/' }),
      serviceMonitor,
    }),
  },
};

function chartSchema(name, spec) {
  const common = Object.fromEntries(Object.entries(COMMON).filter(([key]) => !(spec.omit ?? []).includes(key)));
  const properties = { ...common, ...spec.properties };
  for (const [key, extra] of Object.entries(spec.extra ?? {})) properties[key] = { ...properties[key], ...extra };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${spec.description} (${name} chart values)`,
    type: 'object',
    additionalProperties: false,
    required: ['image', 'ports', 'probes', 'resources', 'podSecurityContext', 'containerSecurityContext'],
    properties,
  };
}

// The umbrella: global, one block per service with its `enabled` flag (each block is validated
// in full by the service chart's own schema), the TURN server's block (switched by
// global.turn.enabled), and the overview dashboard.
function umbrellaSchema() {
  const block = { type: 'object', properties: { enabled: bool }, required: ['enabled'] };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Starling network (starling umbrella chart values)',
    type: 'object',
    additionalProperties: false,
    required: Object.keys(CHARTS),
    properties: {
      global: GLOBAL,
      ...Object.fromEntries(Object.keys(CHARTS).map((c) => [c, block])),
      turn: { type: 'object', properties: { enabled: { not: {}, description: 'The switch is global.turn.enabled (it also wires the file server).' } }, description: 'Settings of the turn chart; global.turn.enabled installs it.' },
      'starling-common': anyObj,
      nameOverride: str(),
      fullnameOverride: str(),
      dashboards: COMMON.dashboards,
    },
  };
}

function render() {
  const files = {};
  const write = (chart, schema) => (files[path.join('charts', chart, 'values.schema.json')] = JSON.stringify(schema, null, 2) + '\n');
  for (const [name, spec] of Object.entries(CHARTS)) write(name, chartSchema(name, spec));
  write('turn', chartSchema('turn', TURN));
  write('starling', umbrellaSchema());
  return files;
}

module.exports = { render, SERVICE_CHARTS: Object.keys(CHARTS) };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  for (const [file, text] of Object.entries(render())) {
    fs.writeFileSync(path.join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
