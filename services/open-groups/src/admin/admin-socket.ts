// The running server's door for its operator: a Unix socket in the data folder, so that the
// command line can change rooms, roles and bans while the server holds the embedded database
// (PGlite admits one process). Who may use it is decided by file permissions: the socket sits in
// `<data>/admin/`, a folder only the server's user can enter (0700), and is itself 0600.
//
// One request per connection, each way one line of JSON:
//   → {"op": "addModerator", "args": ["15ab…", ["lobby"], {"admin": true}]}
//   ← {"ok": true, "result": …}  or  {"ok": false, "error": {"kind": "NotFound", "message": "no such room: x"}}
import type { Listener, Logger } from '@starling/platform';
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'fs';
import { connect, createServer, type Server, type Socket } from 'net';
import { dirname, join } from 'path';
import * as errors from '../domain/errors';
import { ADMIN_OPERATIONS, type AdminApi, type AdminOperation } from './admin-api';

export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin', 'sogs.sock');
}

interface AdminRequest {
  op: AdminOperation;
  args: unknown[];
}

type AdminResponse = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } };

/** sun_path holds 108 bytes on Linux, 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 103;

const OPERATIONS: ReadonlySet<string> = new Set(ADMIN_OPERATIONS);
const READ_ONLY: ReadonlySet<AdminOperation> = new Set(['schema', 'listRooms', 'showRoom', 'listModerators', 'listBans']);

/** Whether a server answers on `path` (false for no file, a stale file, or no permission to connect). */
export function adminSocketAnswers(path: string): Promise<boolean> {
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class AdminSocketServer implements Listener {
  readonly name = 'admin socket';
  private server: Server | undefined;
  private readonly connections = new Set<Socket>();

  constructor(
    private readonly path: string,
    private readonly api: AdminApi,
    private readonly logger: Logger,
    /** Largest request line (a room image travels base64 in it). */
    private readonly maxRequestBytes: number,
  ) {}

  async listen(): Promise<void> {
    if (Buffer.byteLength(this.path) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(`the admin socket path ${this.path} is longer than a Unix socket path may be (${MAX_SOCKET_PATH_BYTES} bytes): use a shorter OPEN_GROUPS_DATA_DIR`);
    }
    const folder = dirname(this.path);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o700);
    if (existsSync(this.path)) {
      if (await adminSocketAnswers(this.path)) throw new Error(`another community server is running on this data folder (${this.path} answers): stop it first`);
      unlinkSync(this.path); // left by a server that did not stop cleanly
    }
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.path, 0o600);
    this.server = server;
  }

  async close(graceMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const cut = setTimeout(() => this.connections.forEach((s) => s.destroy()), graceMs);
    await closed; // once every connection has ended: requests in progress finish
    clearTimeout(cut);
    if (existsSync(this.path)) unlinkSync(this.path);
  }

  private serve(socket: Socket): void {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined); // the command line went away: nothing to answer
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxRequestBytes) {
        socket.off('data', onData);
        reply(socket, { ok: false, error: { kind: 'BadInput', message: `admin request over ${this.maxRequestBytes} bytes` } });
        return;
      }
      const end = chunk.indexOf(0x0a);
      if (end < 0) return void chunks.push(chunk);
      socket.off('data', onData);
      chunks.push(chunk.subarray(0, end));
      void this.answer(Buffer.concat(chunks).toString('utf8')).then((response) => reply(socket, response));
    };
    socket.on('data', onData);
  }

  private async answer(line: string): Promise<AdminResponse> {
    let request: AdminRequest;
    try {
      request = JSON.parse(line) as AdminRequest;
      if (!OPERATIONS.has(request.op) || !Array.isArray(request.args)) throw new Error('unknown operation');
    } catch {
      return { ok: false, error: { kind: 'BadInput', message: 'not an admin request' } };
    }
    try {
      const run = this.api[request.op] as (...args: unknown[]) => Promise<unknown>;
      const result = await run.apply(this.api, request.args);
      // The operator's changes are worth a line in the server's log (never the ids they name).
      if (!READ_ONLY.has(request.op)) this.logger.info({ op: request.op }, 'admin operation');
      return { ok: true, result: result ?? null };
    } catch (err) {
      if (err instanceof errors.DomainError) return { ok: false, error: { kind: err.name, message: err.message } };
      this.logger.error({ op: request.op, err }, 'admin operation failed');
      return { ok: false, error: { kind: 'Error', message: `the server could not do it: ${(err as Error).message}` } };
    }
  }
}

function reply(socket: Socket, response: AdminResponse): void {
  if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
}

/** Domain errors by name, so that a refusal reads the same whichever end ran the operation. */
const ERROR_KINDS: Record<string, new (message: string) => errors.DomainError> = {
  BadInput: errors.BadInput,
  NotAuthenticated: errors.NotAuthenticated,
  Forbidden: errors.Forbidden,
  NotFound: errors.NotFound,
  Unacceptable: errors.Unacceptable,
  TooLarge: errors.TooLarge,
  StaleRequest: errors.StaleRequest,
  RateLimited: errors.RateLimited,
};

/** AdminApi through the running server's socket: one connection per operation. */
export function adminSocketClient(path: string): AdminApi {
  const call = (op: AdminOperation, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const socket = connect(path);
      const chunks: Buffer[] = [];
      socket.once('connect', () => socket.write(`${JSON.stringify({ op, args })}\n`));
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.once('error', (err) => reject(new Error(`the server's admin socket ${path} failed: ${err.message}`)));
      socket.once('end', () => {
        let response: AdminResponse;
        try {
          response = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AdminResponse;
        } catch {
          return reject(new Error(`the server's admin socket ${path} gave no answer`));
        }
        if (response.ok) return resolve(response.result);
        const Kind = ERROR_KINDS[response.error.kind];
        reject(Kind ? new Kind(response.error.message) : new Error(response.error.message));
      });
    });
  return Object.fromEntries(ADMIN_OPERATIONS.map((op) => [op, (...args: unknown[]) => call(op, args)])) as unknown as AdminApi;
}
