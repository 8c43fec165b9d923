// Structured logs (pino) that cannot carry client addresses, request headers or bodies: those
// keys are removed at any depth before a line is written, and the request serializer keeps only
// the method and the route template. Metadata we do not log cannot leak.
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Keys (compared case-insensitively, `-`/`_` ignored) that are never written to a log line. */
const FORBIDDEN_KEYS = new Set(
  ['ip', 'ips', 'remoteAddress', 'remotePort', 'remoteFamily', 'socket', 'connection', 'headers', 'rawHeaders',
    'body', 'payload', 'rawBody', 'xForwardedFor', 'forwarded', 'xRealIp', 'cfConnectingIp', 'trueClientIp',
    'clientIp', 'cookie', 'authorization'].map(normaliseKey),
);

function normaliseKey(k: string): string {
  return k.replace(/[-_]/g, '').toLowerCase();
}

/** Objects that the serializers below reduce to safe fields; scrub leaves them to those. */
const SERIALIZED_KEYS = new Set(['req', 'res']);

/**
 * Deep copy without forbidden keys. Walks plain objects, arrays and Errors (message, stack and
 * own fields such as `code`); other class instances are written as their class name, since
 * their fields are unknown. Bytes are written as their length only (they may be message content).
 */
function scrub(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, seen, depth + 1));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = value.message;
    out.stack = value.stack;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `[${proto?.constructor?.name ?? 'object'}]`;
  }
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(normaliseKey(k))) continue;
    out[k] = depth === 0 && SERIALIZED_KEYS.has(k) ? v : scrub(v, seen, depth + 1);
  }
  return out;
}

const scrubTop = (obj: Record<string, unknown>) => scrub(obj, new WeakSet(), 0) as Record<string, unknown>;

export interface CreateLoggerOptions {
  /** Default: LOG_LEVEL, else 'info'. */
  level?: string;
  /** Where lines go (default stdout); tests pass a stream to capture them. */
  destination?: DestinationStream;
  /** Extra pino options (redaction and serializers of this module are kept). */
  pino?: Omit<LoggerOptions, 'level' | 'serializers' | 'formatters' | 'redact'>;
}

export function createLogger(service: string, options: CreateLoggerOptions = {}): Logger {
  const opts: LoggerOptions = {
    ...options.pino,
    base: { service },
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    formatters: { log: scrubTop, bindings: scrubTop },
    serializers: {
      // Frameworks (Fastify) log `req`/`res` objects; keep what identifies the endpoint only.
      req: (req: { method?: string; routeOptions?: { url?: string } }) => ({ method: req.method, route: req.routeOptions?.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => scrub(err, new WeakSet(), 1),
    },
    // Second line of defence for values that serializers produce after the scrub ran.
    redact: {
      paths: ['ip', 'remoteAddress', 'headers', 'body', '*.ip', '*.remoteAddress', '*.remotePort', '*.headers',
        '*.body', '*["x-forwarded-for"]', '*["x-real-ip"]', 'req.url', 'req.hostname'],
      remove: true,
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
