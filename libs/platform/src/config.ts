// Typed configuration from environment variables. Every service declares its settings once
// (type, default, description); loadConfig validates all of them at start and reports every
// problem in one error, so an operator fixes a broken deployment in one round trip.
import { distance as levenshtein } from 'fastest-levenshtein';

export type ConfigEntry =
  | StringEntry
  | IntEntry
  | BoolEntry
  | UrlEntry
  | EnumEntry
  | PortEntry
  | DurationEntry
  | BytesEntry;

interface BaseEntry<T> {
  /** Environment variable name; defaults to the key in UPPER_SNAKE_CASE (`httpPort` -> `HTTP_PORT`). */
  env?: string;
  description: string;
  default?: T;
  /** Missing and no default -> error. Without `required`, a missing value is `undefined`. */
  required?: boolean;
  /** Never echo the value in errors (passwords, keys, URLs with credentials). */
  secret?: boolean;
}
export interface StringEntry extends BaseEntry<string> { type: 'string'; minLength?: number; pattern?: RegExp }
export interface IntEntry extends BaseEntry<number> { type: 'int'; min?: number; max?: number }
export interface BoolEntry extends BaseEntry<boolean> { type: 'bool' }
export interface UrlEntry extends BaseEntry<string> {
  type: 'url';
  /** Accepted schemes without the colon, e.g. ['postgres', 'postgresql']. */
  protocols?: readonly string[];
}
export interface EnumEntry<V extends string = string> extends BaseEntry<V> { type: 'enum'; values: readonly V[] }
export interface PortEntry extends BaseEntry<number> { type: 'port' }
/** Value in milliseconds; accepts `250`, `250ms`, `30s`, `5m`, `2h`, `7d`. */
export interface DurationEntry extends BaseEntry<number> { type: 'duration'; min?: number; max?: number }
/** Value in bytes; accepts `1024`, `10kb`, `10KiB`, `5MB`, `1GiB` (kB = 1000, KiB = 1024). */
export interface BytesEntry extends BaseEntry<number> { type: 'bytes'; min?: number; max?: number }

export type ConfigSpec = Record<string, ConfigEntry>;

type EntryValue<E> = E extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : E extends { type: 'bool' }
    ? boolean
    : E extends { type: 'string' | 'url' }
      ? string
      : number;

type IsPresent<E> = E extends { required: true } ? true : E extends { default: unknown } ? true : false;

export type ConfigValues<S extends ConfigSpec> = {
  readonly [K in keyof S]: IsPresent<S[K]> extends true ? EntryValue<S[K]> : EntryValue<S[K]> | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    // One problem stays on one line, so that a process log or `kubectl logs` shows it whole.
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration (${problems.length} problems):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Identity function that keeps the literal types of a spec (enum values, required flags). */
export function defineConfig<const S extends ConfigSpec>(spec: S): S {
  return spec;
}

export function envName(key: string, entry: ConfigEntry): string {
  return entry.env ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export interface LoadOptions {
  /**
   * Prefixes this service owns (`SWARM_STORE_`): a variable that starts with one and is not a
   * setting of the spec is refused. Default: ownedPrefixes(spec). An empty list turns the check off.
   */
  prefixes?: readonly string[];
  /**
   * Variables under an owned prefix that other programs read from the same environment and this
   * service ignores (the registry owns `REGISTRY_`, but `REGISTRY_PUBKEY` is the nodes' setting).
   */
  othersRead?: readonly string[];
}

export function loadConfig<const S extends ConfigSpec>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
  options: LoadOptions = {},
): ConfigValues<S> {
  const problems: string[] = unknownSettings(spec, env, options);
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(spec)) {
    const name = envName(key, entry);
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      if (entry.default !== undefined) values[key] = entry.default;
      else if (entry.required) problems.push(`${name} is required but not set (expected ${expected(entry)}; ${entry.description})`);
      else values[key] = undefined;
      continue;
    }
    const result = parseValue(entry, raw.trim());
    if (typeof result === 'object' && result !== null && 'problem' in result) {
      const shown = entry.secret ? '(value hidden)' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
      problems.push(`${name}=${shown}: ${result.problem} (expected ${expected(entry)})`);
    } else {
      values[key] = result;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as ConfigValues<S>;
}

/**
 * The prefix most of a spec's variables share (`OPEN_GROUPS_`), as a one-element list; none when no
 * prefix covers more than half of them. The longest such prefix wins, so `SWARM_STORE_`, not `SWARM_`.
 */
export function ownedPrefixes(spec: ConfigSpec): string[] {
  const names = Object.entries(spec).map(([key, entry]) => envName(key, entry));
  const counts = new Map<string, number>();
  for (const name of names) {
    const words = name.split('_');
    for (let i = 1; i < words.length; i++) {
      const prefix = words.slice(0, i).join('_') + '_';
      counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [prefix, n] of counts) {
    if (n > names.length / 2 && n >= 2 && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? [] : [best];
}

/** A misspelled variable is otherwise silently ignored and its default used: refuse it, naming the likely one. */
function unknownSettings(spec: ConfigSpec, env: Record<string, string | undefined>, options: LoadOptions): string[] {
  const prefixes = options.prefixes ?? ownedPrefixes(spec);
  const known = Object.entries(spec).map(([key, entry]) => envName(key, entry));
  const ignored = new Set([...known, ...(options.othersRead ?? [])]);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    // An empty variable counts as unset, for unknown names as for known ones.
    if (prefix === undefined || ignored.has(name) || value === undefined || value.trim() === '' || isServiceLink(name, value)) continue;
    // Compare the name as written and without its prefix, so SWARM_STORE_REGISTRY_PUBKEY finds REGISTRY_PUBKEY.
    const closest = nearest([name, name.slice(prefix.length)], known);
    problems.push(`${name} is not a setting of this service${closest ? ` (did you mean ${closest}?)` : ''}; --help lists them`);
  }
  return problems;
}

/**
 * Kubernetes (and Docker links) put `<SERVICE>_SERVICE_HOST`, `<SERVICE>_PORT=tcp://…` and the like
 * into every pod for every Service in the namespace; a Service named `registry` must not stop the
 * registry. These shapes are never settings of ours.
 */
function isServiceLink(name: string, value: string): boolean {
  if (/_SERVICE_HOST$|_SERVICE_PORT(_[A-Z0-9_]+)?$|_PORT_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?$/.test(name)) return true;
  return /_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value);
}

/** The closest name over every written form; a tie goes to the name closest to the variable as written (its own prefix). */
function nearest(forms: readonly string[], known: readonly string[]): string | undefined {
  let best: { name: string; distance: number; asWritten: number } | undefined;
  for (const name of known) {
    const distance = Math.min(...forms.map((f) => levenshtein(f, name)));
    const asWritten = levenshtein(forms[0]!, name);
    if (best === undefined || distance < best.distance || (distance === best.distance && asWritten < best.asWritten)) best = { name, distance, asWritten };
  }
  return best?.name;
}

/** One line per setting, for `--help` output and deployment docs. */
export function describeConfig(spec: ConfigSpec): string {
  return Object.entries(spec)
    .map(([key, e]) => {
      const dflt = e.default !== undefined && !e.secret ? ` [default: ${String(e.default)}]` : '';
      const req = e.required ? ' (required)' : '';
      return `${envName(key, e)}: ${expected(e)}${req}${dflt} — ${e.description}`;
    })
    .join('\n');
}

type Parsed = unknown | { problem: string };

function parseValue(entry: ConfigEntry, raw: string): Parsed {
  switch (entry.type) {
    case 'string':
      if (entry.minLength !== undefined && raw.length < entry.minLength) return { problem: `shorter than ${entry.minLength} characters` };
      if (entry.pattern && !entry.pattern.test(raw)) return { problem: `does not match ${entry.pattern}` };
      return raw;
    case 'int':
      return inRange(parseInteger(raw), entry.min, entry.max);
    case 'port': {
      const n = parseInteger(raw);
      return typeof n === 'number' ? inRange(n, 0, 65535) : n;
    }
    case 'bool':
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      return { problem: 'not a boolean' };
    case 'url': {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { problem: 'not a valid absolute URL' };
      }
      const scheme = url.protocol.slice(0, -1);
      if (entry.protocols && !entry.protocols.includes(scheme)) return { problem: `scheme "${scheme}" not allowed` };
      return raw;
    }
    case 'enum':
      return entry.values.includes(raw) ? raw : { problem: 'not one of the allowed values' };
    case 'duration':
      return inRange(parseWithUnit(raw, DURATION_UNITS, 'duration'), entry.min, entry.max);
    case 'bytes':
      return inRange(parseWithUnit(raw, BYTE_UNITS, 'byte size'), entry.min, entry.max);
  }
}

function parseInteger(raw: string): number | { problem: string } {
  if (!/^[+-]?\d+$/.test(raw)) return { problem: 'not an integer' };
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : { problem: 'integer out of the safe range' };
}

function inRange(n: number | { problem: string }, min?: number, max?: number): Parsed {
  if (typeof n !== 'number') return n;
  if (min !== undefined && n < min) return { problem: `below the minimum ${min}` };
  if (max !== undefined && n > max) return { problem: `above the maximum ${max}` };
  return n;
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

function parseWithUnit(raw: string, units: Record<string, number>, what: string): number | { problem: string } {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(raw);
  const factor = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || factor === undefined) return { problem: `not a ${what}` };
  const n = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(n) ? n : { problem: `${what} too large` };
}

function expected(e: ConfigEntry): string {
  const range = (min?: number, max?: number) =>
    min !== undefined || max !== undefined ? ` in [${min ?? '-∞'}, ${max ?? '∞'}]` : '';
  switch (e.type) {
    case 'string': return 'a string' + (e.minLength ? ` of at least ${e.minLength} characters` : '');
    case 'int': return 'an integer' + range(e.min, e.max);
    case 'port': return 'a port number in [0, 65535]';
    case 'bool': return 'true/false, 1/0, yes/no or on/off';
    case 'url': return 'a URL' + (e.protocols ? ` with scheme ${e.protocols.join(' or ')}` : '');
    case 'enum': return `one of ${e.values.join(', ')}`;
    case 'duration': return 'a duration such as 500ms, 30s, 5m, 2h, 7d (plain number = ms)' + range(e.min, e.max);
    case 'bytes': return 'a size such as 512, 64kB, 10MiB, 1GB (plain number = bytes)' + range(e.min, e.max);
  }
}

/** The settings every service has for its ops port and its stop, under the service's prefix. */
export function lifecycleConfig<const P extends string>(prefix: P) {
  return {
    opsPort: { env: `${prefix}_OPS_PORT`, type: 'port', default: 9400, description: 'cluster-only port of /healthz, /readyz and /metrics' },
    drainDelay: {
      env: `${prefix}_DRAIN_DELAY`,
      type: 'duration',
      default: 0,
      description: 'on SIGTERM, readiness fails at once and requests are still served this long (load balancers catch up) before the service closes',
    },
    shutdownGrace: { env: `${prefix}_SHUTDOWN_GRACE`, type: 'duration', min: 0, default: 5_000, description: 'then requests in progress get this long to finish' },
  } as const satisfies ConfigSpec;
}

/**
 * The bounds of a public listener against slow and numerous clients (edge/limits.ts): how long a
 * client may take over its headers and its whole request, the slowest a body or an answer may move, how long
 * an idle keep-alive connection stays, and how many connections may be open at once.
 */
export function edgeConfig<const P extends string>(prefix: P, defaults: { requestTimeoutMs?: number } = {}) {
  return {
    headersTimeout: { env: `${prefix}_HEADERS_TIMEOUT`, type: 'duration', min: 100, default: 10_000, description: 'time a client has to send its request headers (and finish the TLS handshake)' },
    requestTimeout: {
      env: `${prefix}_REQUEST_TIMEOUT`,
      type: 'duration',
      min: 100,
      default: defaults.requestTimeoutMs ?? 30_000,
      description: 'time a client has to send a whole request, body included',
    },
    minTransferRate: {
      env: `${prefix}_MIN_TRANSFER_RATE`,
      type: 'bytes',
      min: 0,
      default: 1024,
      description: 'a request body that moves less than this many bytes a second over 5 s is cut off with 408, an answer the client reads slower than that over 15 s is cut off (0: no floor)',
    },
    keepAliveTimeout: { env: `${prefix}_KEEP_ALIVE_TIMEOUT`, type: 'duration', min: 100, default: 5_000, description: 'an idle keep-alive connection is closed after this' },
    maxConnections: {
      env: `${prefix}_MAX_CONNECTIONS`,
      type: 'int',
      min: 1,
      description: 'open connections beyond this are closed on arrival (default: 10000, or less when the open-file limit leaves less room)',
    },
  } as const satisfies ConfigSpec;
}

/**
 * The TLS settings of a public listener: an operator's certificate (a Kubernetes Secret) or, by
 * default, a self-signed one made at first start (edge/tls.ts); plain HTTP only when asked.
 */
export function tlsConfig<const P extends string>(prefix: P) {
  return {
    tlsCert: { env: `${prefix}_TLS_CERT`, type: 'string', description: 'PEM certificate file for the public port (default: a self-signed one made at first start in the data folder)' },
    tlsKey: { env: `${prefix}_TLS_KEY`, type: 'string', description: 'PEM private key file of TLS_CERT' },
    plainHttp: { env: `${prefix}_PLAIN_HTTP`, type: 'bool', default: false, description: 'serve the public port over plain HTTP instead of HTTPS (Session apps only speak HTTPS to nodes)' },
  } as const satisfies ConfigSpec;
}
