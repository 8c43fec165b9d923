import { ConfigError, defineConfig, describeConfig, envName, loadConfig, ownedPrefixes } from './config';

const spec = defineConfig({
  name: { type: 'string', description: 'node name', required: true },
  workers: { type: 'int', min: 1, max: 64, default: 4, description: 'worker count' },
  debug: { type: 'bool', default: false, description: 'debug mode' },
  databaseUrl: { type: 'url', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL' },
  publicUrl: { type: 'url', description: 'public base URL' },
  mode: { type: 'enum', values: ['relay', 'store'] as const, default: 'relay', description: 'role' },
  httpPort: { type: 'port', default: 8080, description: 'HTTP port' },
  ttl: { type: 'duration', min: 1000, default: 60_000, description: 'message TTL' },
  maxBody: { type: 'bytes', max: 10 * 1024 * 1024, default: 1024, description: 'max body' },
  apiKey: { type: 'string', secret: true, minLength: 8, description: 'API key' },
  room: { type: 'string', env: 'ROOM_TOKEN', pattern: /^[a-z]+$/, description: 'room token' },
});

describe('loadConfig', () => {
  it('derives variable names from keys unless env is given', () => {
    expect(envName('httpPort', spec.httpPort)).toBe('HTTP_PORT');
    expect(envName('databaseUrl', spec.databaseUrl)).toBe('DATABASE_URL');
    expect(envName('room', spec.room)).toBe('ROOM_TOKEN');
  });

  it('applies defaults and leaves optional values undefined', () => {
    const c = loadConfig(spec, { NAME: 'n1' });
    expect(c).toEqual({
      name: 'n1', workers: 4, debug: false, databaseUrl: undefined, publicUrl: undefined, mode: 'relay',
      httpPort: 8080, ttl: 60_000, maxBody: 1024, apiKey: undefined, room: undefined,
    });
  });

  it('parses every type', () => {
    const c = loadConfig(spec, {
      NAME: ' n1 ', WORKERS: '64', DEBUG: 'yes', DATABASE_URL: 'postgresql://u:pw@db/x', PUBLIC_URL: 'https://a.example/x',
      MODE: 'store', HTTP_PORT: '0', TTL: '14d', MAX_BODY: '10MiB', API_KEY: 'abcdefgh', ROOM_TOKEN: 'lobby',
    });
    expect(c).toEqual({
      name: 'n1', workers: 64, debug: true, databaseUrl: 'postgresql://u:pw@db/x', publicUrl: 'https://a.example/x',
      mode: 'store', httpPort: 0, ttl: 14 * 86_400_000, maxBody: 10 * 1024 * 1024, apiKey: 'abcdefgh', room: 'lobby',
    });
    const typed: 'relay' | 'store' = c.mode; // enum literal types survive
    expect(typed).toBe('store');
  });

  it.each([
    ['1', true], ['true', true], ['ON', true], ['0', false], ['False', false], ['off', false], ['no', false],
  ])('bool %s -> %s', (raw, want) => {
    expect(loadConfig(spec, { NAME: 'n', DEBUG: raw }).debug).toBe(want);
  });

  it.each([
    ['2500', 2500], ['2500ms', 2500], ['1.5s', 1500], ['2m', 120_000], ['1h', 3_600_000], ['7d', 604_800_000],
  ])('duration %s -> %d ms', (raw, want) => {
    expect(loadConfig(spec, { NAME: 'n', TTL: raw }).ttl).toBe(want);
  });

  it.each([
    ['512', 512], ['512b', 512], ['64kB', 64_000], ['64KiB', 65_536], ['1MB', 1_000_000], ['2mib', 2_097_152],
  ])('bytes %s -> %d', (raw, want) => {
    expect(loadConfig(spec, { NAME: 'n', MAX_BODY: raw }).maxBody).toBe(want);
  });

  it.each([
    ['WORKERS', 'four', 'not an integer'],
    ['WORKERS', '1.5', 'not an integer'],
    ['WORKERS', '0', 'below the minimum 1'],
    ['WORKERS', '65', 'above the maximum 64'],
    ['WORKERS', '99999999999999999999', 'out of the safe range'],
    ['DEBUG', 'maybe', 'not a boolean'],
    ['PUBLIC_URL', 'not a url', 'not a valid absolute URL'],
    ['MODE', 'storage', 'not one of the allowed values'],
    ['HTTP_PORT', '65536', 'above the maximum 65535'],
    ['HTTP_PORT', '-1', 'below the minimum 0'],
    ['HTTP_PORT', '80a', 'not an integer'],
    ['TTL', '10 parsecs', 'not a duration'],
    ['TTL', '999ms', 'below the minimum 1000'],
    ['TTL', '-5s', 'not a duration'],
    ['MAX_BODY', '11MiB', 'above the maximum 10485760'],
    ['MAX_BODY', '12 bananas', 'not a byte size'],
    ['ROOM_TOKEN', 'Lobby!', 'does not match'],
  ])('%s=%s is rejected: %s', (name, raw, problem) => {
    let error: unknown;
    try {
      loadConfig(spec, { NAME: 'n', [name]: raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}=${JSON.stringify(raw)}`);
    expect(problems[0]).toContain(problem);
    expect(problems[0]).toContain('expected');
  });

  it('lists every problem at once, and never echoes secret values', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(spec, {
        WORKERS: 'lots', MODE: 'x', DATABASE_URL: 'mysql://root:hunter2@db/x', API_KEY: 'hunter2', HTTP_PORT: '70000',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(6);
    const msg = error!.message;
    expect(msg).toMatch(/6 problems/);
    expect(msg).toContain('NAME is required but not set');
    expect(msg).toContain('WORKERS="lots": not an integer (expected an integer in [1, 64])');
    expect(msg).toContain('MODE="x": not one of the allowed values (expected one of relay, store)');
    expect(msg).toContain('DATABASE_URL=(value hidden): scheme "mysql" not allowed (expected a URL with scheme postgres or postgresql)');
    expect(msg).toContain('API_KEY=(value hidden): shorter than 8 characters');
    expect(msg).toContain('HTTP_PORT="70000"');
    expect(msg).not.toContain('hunter2');
  });

  it('treats an empty variable as unset', () => {
    expect(() => loadConfig(spec, { NAME: '  ' })).toThrow('NAME is required but not set');
    expect(loadConfig(spec, { NAME: 'n', WORKERS: '' }).workers).toBe(4);
  });

  it('describes the settings without secret defaults', () => {
    const text = describeConfig({ ...spec, token: { type: 'string', secret: true, default: 's3cret', description: 'token' } });
    expect(text).toContain('HTTP_PORT: a port number in [0, 65535] [default: 8080] — HTTP port');
    expect(text).toContain('NAME: a string (required) — node name');
    expect(text).not.toContain('s3cret');
  });
});

describe('variables a service does not know', () => {
  const relay = defineConfig({
    httpPort: { env: 'ENTRY_RELAY_HTTP_PORT', type: 'port', default: 22021, description: 'public port' },
    grpcPort: { env: 'ENTRY_RELAY_GRPC_PORT', type: 'port', default: 22031, description: 'gRPC port' },
    maxInFlight: { env: 'ENTRY_RELAY_MAX_IN_FLIGHT', type: 'int', default: 512, description: 'requests in progress' },
    host: { env: 'ENTRY_RELAY_HOST', type: 'string', default: '127.0.0.1', description: 'bind address' },
    dataDir: { env: 'ENTRY_RELAY_DATA_DIR', type: 'string', default: '.data', description: 'key folder' },
    registryAddress: { env: 'REGISTRY_GRPC_ADDRESS', type: 'string', description: 'registry' },
    registryPubkey: { env: 'REGISTRY_PUBKEY', type: 'string', description: 'registry key' },
    redisUrl: { env: 'REDIS_URL', type: 'url', description: 'Redis' },
  });
  const problemsOf = (f: () => unknown): readonly string[] => {
    try {
      f();
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  it('owns the prefix most of its variables share, the longest one', () => {
    expect(ownedPrefixes(relay)).toEqual(['ENTRY_RELAY_']);
    expect(ownedPrefixes(defineConfig({
      a: { env: 'SWARM_STORE_GROUP_COMMIT_DELAY', type: 'int', description: 'a' },
      b: { env: 'SWARM_STORE_GROUP_COMMIT_MAX_ROWS', type: 'int', description: 'b' },
      c: { env: 'SWARM_STORE_HTTP_PORT', type: 'int', description: 'c' },
      d: { env: 'SWARM_STORE_HOST', type: 'int', description: 'd' },
      e: { env: 'DATABASE_URL', type: 'int', description: 'e' },
    }))).toEqual(['SWARM_STORE_']);
    // No prefix covers a majority: nothing is owned, nothing refused.
    expect(ownedPrefixes(spec)).toEqual([]);
    expect(loadConfig(spec, { NAME: 'n', HTTP_PORTT: '1', NAMES: 'x' }).name).toBe('n');
  });

  it('refuses a misspelled variable under its prefix in one line naming the closest setting', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(relay, { ENTRY_RELAY_MAX_INFLIGHT: '10' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toBe('Invalid configuration: ENTRY_RELAY_MAX_INFLIGHT is not a setting of this service (did you mean ENTRY_RELAY_MAX_IN_FLIGHT?); --help lists them');
    expect(error!.message.split('\n')).toHaveLength(1);
  });

  it('on a tie, names the setting under the prefix the variable was written with', () => {
    const groups = defineConfig({
      port: { env: 'OPEN_GROUPS_PORT', type: 'port', default: 1, description: 'port' },
      host: { env: 'OPEN_GROUPS_HOST', type: 'string', default: 'h', description: 'host' },
      schema: { env: 'OPEN_GROUPS_DB_SCHEMA', type: 'string', description: 'schema' },
      databaseUrl: { env: 'DATABASE_URL', type: 'url', description: 'PostgreSQL' },
    });
    // DATABASE_SCHEMA is as far from DATABASE_URL as from DB_SCHEMA.
    expect(problemsOf(() => loadConfig(groups, { OPEN_GROUPS_DATABASE_SCHEMA: 'x' }))).toEqual([
      expect.stringContaining('(did you mean OPEN_GROUPS_DB_SCHEMA?)'),
    ]);
  });

  it('names a shared setting that was written under the service prefix', () => {
    expect(problemsOf(() => loadConfig(relay, { ENTRY_RELAY_REGISTRY_PUBKEY: 'ab' }))).toEqual([
      'ENTRY_RELAY_REGISTRY_PUBKEY is not a setting of this service (did you mean REGISTRY_PUBKEY?); --help lists them',
    ]);
  });

  it('reports unknown variables together with bad values', () => {
    const problems = problemsOf(() => loadConfig(relay, { ENTRY_RELAY_HTTP_PORT: 'eighty', ENTRY_RELAY_GRCP_PORT: '1', ENTRY_RELAY_HTTP_PORT_: '2' }));
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^ENTRY_RELAY_GRCP_PORT is not a setting .*did you mean ENTRY_RELAY_GRPC_PORT\?/),
      expect.stringMatching(/^ENTRY_RELAY_HTTP_PORT_ is not a setting .*did you mean ENTRY_RELAY_HTTP_PORT\?/),
      expect.stringMatching(/^ENTRY_RELAY_HTTP_PORT="eighty": not an integer/),
    ]));
  });

  it('leaves alone what other programs read: other prefixes, the shared names it reads, empty values, Kubernetes service links', () => {
    const env = {
      ENTRY_RELAY_HTTP_PORT: '1',
      REGISTRY_GRPC_ADDRESS: '127.0.0.1:1', REGISTRY_PUBKEY: 'ab', REGISTRY_HTTP_PORT: '2', SWARM_STORE_HOST: 'x', PATH: '/bin',
      ENTRY_RELAY_UNUSED: '  ',
      ENTRY_RELAY_SERVICE_HOST: '10.0.0.7', ENTRY_RELAY_SERVICE_PORT: '22021', ENTRY_RELAY_SERVICE_PORT_PUBLIC: '22021',
      ENTRY_RELAY_PORT: 'tcp://10.0.0.7:22021', ENTRY_RELAY_PORT_22021_TCP: 'tcp://10.0.0.7:22021',
      ENTRY_RELAY_PORT_22021_TCP_PROTO: 'tcp', ENTRY_RELAY_PORT_22021_TCP_PORT: '22021', ENTRY_RELAY_PORT_22021_TCP_ADDR: '10.0.0.7',
    };
    expect(loadConfig(relay, env).httpPort).toBe(1);
    // A `_PORT` that does not look like a service link is a typo like any other.
    expect(problemsOf(() => loadConfig(relay, { ENTRY_RELAY_PORT: '8080' }))).toEqual([
      expect.stringMatching(/^ENTRY_RELAY_PORT is not a setting of this service \(did you mean ENTRY_RELAY_[A-Z_]+\?\)/),
    ]);
  });

  it('takes the owned prefixes and the names others read from the caller', () => {
    const registry = defineConfig({
      httpPort: { env: 'REGISTRY_HTTP_PORT', type: 'port', default: 1, description: 'seed API' },
      grpcPort: { env: 'REGISTRY_GRPC_PORT', type: 'port', default: 2, description: 'gRPC' },
    });
    const shared = { REGISTRY_GRPC_ADDRESS: '127.0.0.1:1', REGISTRY_PUBKEY: 'ab' };
    expect(problemsOf(() => loadConfig(registry, shared))).toHaveLength(2);
    expect(loadConfig(registry, shared, { othersRead: ['REGISTRY_GRPC_ADDRESS', 'REGISTRY_PUBKEY'] }).httpPort).toBe(1);
    expect(loadConfig(registry, { REGISTRY_X: '1' }, { prefixes: [] }).grpcPort).toBe(2);
    expect(problemsOf(() => loadConfig(registry, { STARLING_X: '1' }, { prefixes: ['REGISTRY_', 'STARLING_'] }))).toEqual([
      expect.stringMatching(/^STARLING_X is not a setting/),
    ]);
  });
});
