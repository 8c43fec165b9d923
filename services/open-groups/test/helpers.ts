// Test harness: a real listening community server (port 0) on each storage backend, and a client
// that signs requests with X-SOGS-* headers (blinded by default) through @starling/crypto.
import {
  blind15Id,
  blind25Id,
  fromHex,
  generateIdentity,
  ready,
  signSogsRequest,
  type SogsBlinding,
} from '@starling/crypto';
import { createLogger, testDatabases, testSharedStates, type Database, type Logger, type SharedState, type TestBackend } from '@starling/platform';
import { Writable } from 'stream';
import { AdminOperations } from '../src/admin/operations';
import { createCommunityServer, MIGRATIONS_DIR, type CommunityServer, type CommunityServerOptions } from '../src/server';

export { eventually } from '@starling/platform';

export interface TestUser {
  secret: Uint8Array;
  blinding: SogsBlinding;
  /** The id the server knows this user by (15/25 blinded, or 05). */
  id: string;
  /** The 05 Session ID. */
  sessionId: string;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json: any;
}

export interface RequestOptions {
  json?: unknown;
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** Override what is signed (to test mismatches). */
  signPath?: string;
  /** Sign with a given nonce (hex) or timestamp. */
  nonce?: Uint8Array;
  timestamp?: number;
}

/** Encodes each path segment for the wire; the signature covers the decoded form. */
export function wirePath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const query = q < 0 ? '' : pathAndQuery.slice(q);
  return path.split('/').map((s) => encodeURIComponent(s)).join('/') + query;
}

export class TestClock {
  t = Math.floor(Date.now() / 1000);
  now = (): number => this.t;
  advance(seconds: number): void {
    this.t += seconds;
  }
}

export class Harness {
  readonly clock = new TestClock();
  server!: CommunityServer;
  admin!: AdminOperations;
  private db!: Database;
  private state: SharedState | undefined;

  constructor(
    private readonly backend: TestBackend<Database>,
    private readonly options: CommunityServerOptions = {},
    private readonly stateBackend?: TestBackend<SharedState>,
  ) {}

  async start(): Promise<void> {
    await ready();
    this.db = await this.backend.open();
    this.state = await this.stateBackend?.open();
    this.server = await createCommunityServer({
      rooms: ['test-room', 'room2'],
      db: this.db,
      state: this.state,
      now: this.clock.now,
      logger: silentLogger(),
      ...this.options,
    });
    this.admin = new AdminOperations({
      db: this.db,
      serverPk: fromHex(this.server.pubkey),
      requireBlinding: this.options.requireBlinding ?? true,
      baseUrl: this.server.address,
      migrationsDir: MIGRATIONS_DIR,
      now: this.clock.now,
    });
  }

  async stop(): Promise<void> {
    await this.server?.close();
    await this.state?.close();
    await this.db?.close();
  }

  get serverPk(): Uint8Array {
    return fromHex(this.server.pubkey);
  }

  newUser(blinding: SogsBlinding = 'blind15'): TestUser {
    const { identity } = generateIdentity();
    const secret = identity.ed25519.secretKey;
    const id =
      blinding === 'blind15' ? blind15Id(secret, this.serverPk) : blinding === 'blind25' ? blind25Id(secret, this.serverPk) : identity.sessionId;
    return { secret, blinding, id, sessionId: identity.sessionId };
  }

  /** Signed X-SOGS-* headers for a request as `user`. */
  sign(user: TestUser, method: string, path: string, body: Buffer, opts: RequestOptions = {}): Record<string, string> {
    return {
      ...signSogsRequest(
        user.secret,
        {
          serverPk: this.serverPk,
          timestamp: opts.timestamp ?? this.clock.now(),
          method,
          path: opts.signPath ?? path,
          body,
          ...(opts.nonce ? { nonce: opts.nonce } : {}),
        },
        user.blinding,
      ),
    };
  }

  async request(method: string, path: string, user: TestUser | null = null, opts: RequestOptions = {}): Promise<Reply> {
    const body = opts.json !== undefined ? Buffer.from(JSON.stringify(opts.json)) : typeof opts.body === 'string' ? Buffer.from(opts.body) : (opts.body ?? Buffer.alloc(0));
    const headers: Record<string, string> = { ...(opts.json !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (user) Object.assign(headers, this.sign(user, method, path, body, opts));
    Object.assign(headers, opts.headers ?? {});
    const res = await fetch(this.server.address + wirePath(path), { method, headers, body: body.length ? body : undefined });
    const raw = Buffer.from(await res.arrayBuffer());
    const outHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => (outHeaders[k] = v));
    let json: unknown;
    if (outHeaders['content-type'] === 'application/json') json = JSON.parse(raw.toString('utf8'));
    return { status: res.status, headers: outHeaders, body: raw, json };
  }

  /** GET on the ops listener (/healthz, /readyz, /metrics). */
  async ops(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.server.opsPort}${path}`);
    return { status: res.status, text: await res.text() };
  }

  get = (path: string, user: TestUser | null = null, opts?: RequestOptions) => this.request('GET', path, user, opts);
  post = (path: string, user: TestUser | null, json: unknown, opts?: RequestOptions) => this.request('POST', path, user, { ...opts, json });
  put = (path: string, user: TestUser | null, json: unknown, opts?: RequestOptions) => this.request('PUT', path, user, { ...opts, json });
  del = (path: string, user: TestUser | null = null, opts?: RequestOptions) => this.request('DELETE', path, user, opts);

  /** Posts a message (random data unless given) and returns the message object. */
  async postMessage(user: TestUser, room = 'test-room', data?: Buffer, extra: Record<string, unknown> = {}): Promise<any> {
    const payload = data ?? Buffer.from(`msg-${Math.random()}`);
    const res = await this.post(`/room/${room}/message`, user, {
      data: payload.toString('base64'),
      signature: Buffer.alloc(64, 7).toString('base64'),
      ...extra,
    });
    if (res.status !== 201) throw new Error(`post failed: ${res.status} ${res.body.toString()}`);
    return res.json;
  }
}

/** One describe block per storage backend (PGlite always, PostgreSQL when DATABASE_URL is set). */
export function forEachBackend(name: string, body: (h: () => Harness) => void, options: CommunityServerOptions = {}): void {
  describe.each(testDatabases())(`${name} on $name`, (backend) => {
    let harness: Harness;
    beforeAll(async () => {
      harness = new Harness(backend, options);
      await harness.start();
    }, 60_000);
    afterAll(async () => {
      await harness?.stop();
    });
    body(() => harness);
  });
}

export function expectJson(res: Reply, status = 200): any {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.body.toString()}`);
  expect(res.headers['content-type']).toBe('application/json');
  return res.json;
}

export function expectText(res: Reply, status: number, text?: string): void {
  expect({ status: res.status, body: res.body.toString() }).toEqual({ status, body: text ?? res.body.toString() });
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
}

/** One describe block per shared-state backend (in-process always, Redis when REDIS_URL is set), on PGlite. */
export function forEachStateBackend(name: string, body: (h: () => Harness) => void): void {
  describe.each(testSharedStates())(`${name} with $name state`, (stateBackend) => {
    let harness: Harness;
    beforeAll(async () => {
      harness = new Harness(testDatabases({})[0], {}, stateBackend);
      await harness.start();
    }, 60_000);
    afterAll(async () => {
      await harness?.stop();
    });
    body(() => harness);
  });
}

/** A logger that keeps its lines (JSON, as pino writes them), for tests of what gets logged. */
export function capturingLogger(): { logger: Logger; lines: Array<{ level: number; msg?: string }> } {
  const lines: Array<{ level: number; msg?: string }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('open-groups-test', { level: 'debug', destination }), lines };
}

/** pino's error level and above. */
export const ERROR_LEVEL = 50;

function silentLogger() {
  return createLogger('open-groups-test', { level: 'silent' });
}
