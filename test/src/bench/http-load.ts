// A lean HTTP/1.1 keep-alive load generator for benchmarks: requests are pre-built byte strings
// (signed ahead of time), each connection has one request in flight, and the latency of every
// response in the measured window is kept. Lighter than http.Agent, so that more of a shared
// machine's cores go to the server under test.
import { connect, type Socket } from 'net';
import { connect as tlsConnect } from 'tls';

export interface LoadOptions {
  host: string;
  port: number;
  /** HTTPS (any certificate: nodes use self-signed ones). */
  tls?: boolean;
  /** Keep-alive connections, i.e. requests in flight. */
  connections: number;
  /** Sent in order, each exactly once; running out ends the run early. */
  requests: Buffer[];
  warmupMs: number;
  durationMs: number;
  /** Called when the measured window opens and when it closes (e.g. to sample CPU counters). */
  onWindow?: (edge: 'start' | 'end') => void;
  /** Sees every response (e.g. to count the ones that carried data); keep it cheap. */
  onResponse?: (status: number, body: Buffer) => void;
}

export interface LoadResult {
  /** Responses completed inside the measured window. */
  measured: number;
  /** Responses completed before it. */
  warmup: number;
  windowMs: number;
  /** Latencies (ms) of the measured responses, ascending. */
  latenciesMs: Float64Array;
  /** Count per HTTP status over the whole run (warm-up included). */
  statuses: Map<number, number>;
  /** First response body seen per unexpected status, for diagnosis. */
  sampleBodies: Map<number, string>;
  /** Connection errors (resets, parse failures). */
  errors: string[];
  exhausted: boolean;
}

/** Value at quantile q (0..1) of an ascending array. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { requests } = options;
  const latencies = new Float64Array(requests.length);
  const statuses = new Map<number, number>();
  const sampleBodies = new Map<number, string>();
  const errors: string[] = [];
  let next = 0;
  let measured = 0;
  let warmup = 0;
  let open = 0;
  const startedAt = performance.now();
  const windowStart = startedAt + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  let windowOpened = false;
  let windowClosed = false;
  let lastMeasuredAt = windowStart;
  const closeWindow = () => {
    if (windowOpened && !windowClosed) options.onWindow?.('end');
    windowClosed = true;
  };

  return new Promise((resolve) => {
    const finishConnection = (socket: Socket) => {
      socket.destroy();
      if (--open > 0) return;
      closeWindow(); // out of requests: the window closes as the last response arrives
      const stoppedAt = Math.min(performance.now(), windowEnd);
      const exhausted = next >= requests.length;
      const windowMs = windowOpened ? (exhausted ? lastMeasuredAt : stoppedAt) - windowStart : 0;
      resolve({
        measured,
        warmup,
        windowMs,
        latenciesMs: latencies.slice(0, measured).sort(),
        statuses,
        sampleBodies,
        errors,
        exhausted,
      });
    };

    const startConnection = () => {
      open++;
      const socket = options.tls
        ? tlsConnect({ host: options.host, port: options.port, rejectUnauthorized: false }).setNoDelay(true)
        : connect({ host: options.host, port: options.port, noDelay: true });
      let pending: Buffer | null = null;
      let sentAt = 0;
      let inFlight = false;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        inFlight = false;
        finishConnection(socket);
      };

      const sendNext = () => {
        const now = performance.now();
        if (!windowOpened && now >= windowStart) {
          windowOpened = true;
          options.onWindow?.('start');
        }
        if (now >= windowEnd) closeWindow();
        if (now >= windowEnd || next >= requests.length) return finish();
        inFlight = true;
        sentAt = now;
        socket.write(requests[next++]);
      };

      const onResponse = (status: number, body: Buffer) => {
        const doneAt = performance.now();
        inFlight = false;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== 200 && !sampleBodies.has(status)) sampleBodies.set(status, body.toString('utf8', 0, 300));
        options.onResponse?.(status, body);
        // Throughput counts what completes inside the window, whenever it was sent.
        if (doneAt < windowStart) {
          warmup++;
        } else if (doneAt <= windowEnd) {
          latencies[measured++] = doneAt - sentAt;
          lastMeasuredAt = doneAt;
        }
        sendNext();
      };

      socket.on(options.tls ? 'secureConnect' : 'connect', sendNext);
      socket.on('data', (chunk: Buffer) => {
        pending = pending ? Buffer.concat([pending, chunk]) : chunk;
        const headerEnd = pending.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const head = pending.toString('latin1', 0, headerEnd);
        const length = CONTENT_LENGTH.exec(head);
        if (!length) {
          errors.push(`response without content-length: ${head.split('\r\n')[0]}`);
          return finish();
        }
        const total = headerEnd + HEADER_END.length + Number(length[1]);
        if (pending.length < total) return;
        const status = Number(head.slice(9, 12));
        const body = pending.subarray(headerEnd + HEADER_END.length, total);
        pending = pending.length > total ? pending.subarray(total) : null;
        onResponse(status, body);
      });
      socket.on('error', (err) => {
        errors.push(`connection error: ${err.message}`);
      });
      socket.on('close', () => {
        if (inFlight) errors.push('connection closed with a request in flight');
        finish();
      });
    };

    for (let i = 0; i < options.connections; i++) startConnection();
  });
}
