// Unary calls carried on one long-lived bidirectional stream (a service's `Multiplex` method).
// grpc-js spends most of a small unary call on the HTTP/2 stream itself (headers, trailers,
// stream setup on both ends) and one socket write per message; a relay or swarm peer that calls
// one node thousands of times a second pays the stream once, and one message and one write per
// turn of the event loop for all calls (or answers) of that turn.
// Callers do not see the difference: createGrpcClient routes unary calls here when the service
// has the method, and a server answers them with the same handlers as its unary calls.
import * as grpc from '@grpc/grpc-js';

export interface MultiplexCall {
  id: number;
  method: string;
  payload: Buffer;
}

export interface MultiplexAnswer {
  id: number;
  payload: Buffer;
  errorCode: number;
  errorMessage: string;
}

export interface MultiplexRequest {
  calls: MultiplexCall[];
}

export interface MultiplexResponse {
  answers: MultiplexAnswer[];
}

/** Requests larger than this go as plain unary calls, so that they do not hold up small ones. */
export const MULTIPLEX_MAX_PAYLOAD = 64 * 1024;
/** Calls one stream may have in flight on the server; beyond it they are refused at once. */
export const MULTIPLEX_MAX_IN_FLIGHT = 4096;
/** Payload bytes after which a frame being gathered is sent without waiting for the turn's end. */
const FRAME_FLUSH_BYTES = 256 * 1024;

/**
 * Gathers items during one turn of the event loop and hands them over as one list at its end
 * (or once they pass FRAME_FLUSH_BYTES), so that a burst costs one message and one write.
 */
class FrameGatherer<T extends { payload: Buffer }> {
  private items: T[] = [];
  private bytes = 0;
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly send: (items: T[]) => void) {}

  add(item: T): void {
    this.items.push(item);
    this.bytes += item.payload.length;
    if (this.bytes >= FRAME_FLUSH_BYTES) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  flush(): void {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    this.send(items);
  }
}

/** A client stream with no call in flight for this long is closed (and reopened on demand). */
const IDLE_CLOSE_MS = 10_000;

type UnaryHandler = grpc.handleUnaryCall<unknown, unknown>;
const EMPTY = Buffer.alloc(0);

/** A gRPC status error shaped like the ones grpc-js raises for unary calls. */
export function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata: new grpc.Metadata() });
}

function isMultiplex(def: grpc.MethodDefinition<unknown, unknown> | undefined): boolean {
  return def !== undefined && def.requestStream && def.responseStream && def.path.endsWith('/Multiplex');
}

/** True when a service definition has the Multiplex method this module speaks. */
export function hasMultiplex(service: grpc.ServiceDefinition): boolean {
  return isMultiplex(service.multiplex as grpc.MethodDefinition<unknown, unknown> | undefined);
}

/**
 * The server side: `handlers` plus a `multiplex` handler that decodes each request with the named
 * unary method's definition, runs that method's handler and answers on the stream. The handler
 * sees `request` and the stream's `metadata`; nothing a per-call deadline or peer would give.
 */
export function withMultiplex<H extends object>(service: grpc.ServiceDefinition, handlers: H): H & { multiplex: grpc.handleBidiStreamingCall<MultiplexRequest, MultiplexResponse> } {
  const unary = handlers as unknown as Record<string, UnaryHandler | undefined>;
  const multiplex: grpc.handleBidiStreamingCall<MultiplexRequest, MultiplexResponse> = (stream) => {
    let inFlight = 0;
    let ended = false;
    let closed = false;
    // The caller half-closed: once every call is answered, the stream closes too.
    const closeIfDone = (): void => {
      if (!ended || inFlight > 0 || closed) return;
      closed = true;
      stream.end();
    };
    const out = new FrameGatherer<MultiplexAnswer>((answers) => {
      if (!stream.cancelled && stream.writable) stream.write({ answers });
      closeIfDone();
    });
    const answer = (a: MultiplexAnswer): void => {
      inFlight--;
      out.add(a);
    };
    const refuse = (id: number, code: grpc.status, message: string): void => answer({ id, payload: EMPTY, errorCode: code, errorMessage: message });

    const run = (c: MultiplexCall): void => {
      inFlight++;
      const def = service[c.method] as grpc.MethodDefinition<unknown, unknown> | undefined;
      const handler = unary[c.method];
      if (!def || def.requestStream || def.responseStream || typeof handler !== 'function') {
        return refuse(c.id, grpc.status.UNIMPLEMENTED, `no unary method ${c.method.slice(0, 64)}`);
      }
      if (inFlight > MULTIPLEX_MAX_IN_FLIGHT) return refuse(c.id, grpc.status.RESOURCE_EXHAUSTED, 'too many calls in flight on this stream');
      let request: unknown;
      try {
        request = def.requestDeserialize(c.payload);
      } catch {
        return refuse(c.id, grpc.status.INVALID_ARGUMENT, `request of ${c.method} does not decode`);
      }
      const call = { request, metadata: stream.metadata, cancelled: false } as unknown as grpc.ServerUnaryCall<unknown, unknown>;
      handler(call, (err, value) => {
        if (err) {
          const status = err as Partial<grpc.StatusObject> & Error;
          return refuse(c.id, status.code ?? grpc.status.INTERNAL, status.details ?? status.message ?? 'internal error');
        }
        let payload: Buffer;
        try {
          payload = def.responseSerialize(value);
        } catch {
          return refuse(c.id, grpc.status.INTERNAL, `response of ${c.method} does not encode`);
        }
        answer({ id: c.id, payload, errorCode: 0, errorMessage: '' });
      });
    };

    stream.on('data', (frame: MultiplexRequest) => frame.calls.forEach(run));
    stream.on('end', () => {
      ended = true;
      out.flush();
      closeIfDone();
    });
    // A cancelled stream has nobody to answer; handlers still finish and their answers are dropped.
    stream.on('error', () => undefined);
  };
  return Object.assign({}, handlers, { multiplex });
}

/**
 * Registers `handlers` (plain unary handlers) with the service's Multiplex method answering them,
 * and answer frames encoded by encodeMultiplexResponse.
 */
export function addMultiplexedService<H extends object>(server: grpc.Server, service: grpc.ServiceDefinition, handlers: H): void {
  const multiplex = service.multiplex as grpc.MethodDefinition<unknown, unknown>;
  const definition = { ...service, multiplex: { ...multiplex, responseSerialize: encodeMultiplexResponse } };
  server.addService(definition as grpc.ServiceDefinition, withMultiplex(service, handlers) as unknown as grpc.UntypedServiceImplementation);
}

/**
 * A MultiplexResponse as protobuf, the same bytes as the generated encoder: each answer's payload
 * is copied once into a buffer of the exact size. The generated encoder grows its buffer by
 * doubling and copies a payload three times, which showed on 140 KB retrieve answers.
 */
export function encodeMultiplexResponse({ answers }: MultiplexResponse): Buffer {
  const messages = answers.map((a) => (a.errorMessage ? Buffer.from(a.errorMessage, 'utf8') : EMPTY));
  const sizes = answers.map((a, i) => answerSize(a, messages[i]));
  const total = sizes.reduce((sum, size) => sum + 1 + varintSize(size) + size, 0);
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  const varint = (value: number): void => void (pos = writeVarint(out, pos, value));
  // proto3 leaves fields holding their default value out.
  const number = (tag: number, value: number): void => {
    if (value === 0) return;
    out[pos++] = tag;
    varint(value);
  };
  const bytes = (tag: number, value: Uint8Array): void => {
    if (value.length === 0) return;
    out[pos++] = tag;
    varint(value.length);
    out.set(value, pos);
    pos += value.length;
  };
  answers.forEach((a, i) => {
    out[pos++] = 0x0a; // answers = 1, length-delimited
    varint(sizes[i]);
    number(0x08, a.id); // id = 1
    bytes(0x12, a.payload); // payload = 2
    number(0x18, a.errorCode); // error_code = 3
    bytes(0x22, messages[i]); // error_message = 4
  });
  return out;
}

/** Writes a protobuf varint at `pos`; the position after it. */
export function writeVarint(out: Buffer, pos: number, value: number): number {
  while (value > 0x7f) {
    out[pos++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  out[pos++] = value;
  return pos;
}

export function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value >>>= 7;
    size++;
  }
  return size;
}

function answerSize(a: MultiplexAnswer, message: Buffer): number {
  const delimited = (length: number) => (length ? 1 + varintSize(length) + length : 0);
  return (a.id ? 1 + varintSize(a.id) : 0) + delimited(a.payload.length) + (a.errorCode ? 1 + varintSize(a.errorCode) : 0) + delimited(message.length);
}

interface Pending {
  resolve: (payload: Buffer) => void;
  reject: (err: grpc.ServiceError) => void;
  timer: NodeJS.Timeout;
}

/**
 * The client side of one channel's Multiplex stream. The stream opens on the first call and
 * again after it fails; a failure rejects every call in flight on it with UNAVAILABLE (as a lost
 * connection does for unary calls). A peer without the method (an older version during a rolling
 * upgrade) makes `supported` false, and the caller goes back to unary calls.
 */
export class MultiplexCaller {
  private stream: grpc.ClientDuplexStream<MultiplexRequest, MultiplexResponse> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private gatherer: FrameGatherer<MultiplexCall> | undefined;
  supported = true;

  constructor(private readonly open: () => grpc.ClientDuplexStream<MultiplexRequest, MultiplexResponse>) {}

  call(method: string, payload: Buffer, deadline: number): Promise<Buffer> {
    if (!this.stream) this.connect();
    const gatherer = this.gatherer!;
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      do this.nextId = (this.nextId + 1) >>> 0;
      while (this.pending.has(this.nextId));
      const id = this.nextId;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(statusError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded'));
      }, Math.max(0, deadline - Date.now()));
      this.pending.set(id, { resolve, reject, timer });
      gatherer.add({ id, method, payload });
    });
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.stream?.cancel();
    this.fail(statusError(grpc.status.CANCELLED, 'client closed'));
  }

  private connect(): void {
    const stream = this.open();
    this.stream = stream;
    this.gatherer = new FrameGatherer((calls) => stream.write({ calls }));
    stream.on('data', (frame: MultiplexResponse) => {
      for (const a of frame.answers) {
        const call = this.pending.get(a.id);
        if (!call) continue; // its deadline passed
        this.pending.delete(a.id);
        clearTimeout(call.timer);
        if (a.errorCode === 0) call.resolve(a.payload);
        else call.reject(statusError(a.errorCode, a.errorMessage));
      }
      if (this.pending.size === 0) this.closeWhenIdle(stream);
    });
    const lost = (err?: grpc.ServiceError) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (err?.code === grpc.status.UNIMPLEMENTED) this.supported = false;
      this.fail(err?.code === grpc.status.UNIMPLEMENTED ? err : statusError(grpc.status.UNAVAILABLE, err?.details ?? 'multiplex stream ended'));
    };
    stream.on('error', lost);
    stream.on('end', () => lost());
  }

  /** An open stream keeps the process alive: one nobody used for a while is closed. */
  private closeWhenIdle(stream: grpc.ClientDuplexStream<MultiplexRequest, MultiplexResponse>): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.stream !== stream || this.pending.size > 0) return;
      this.stream = undefined;
      stream.end();
    }, IDLE_CLOSE_MS);
    this.idleTimer.unref();
  }

  private fail(err: grpc.ServiceError): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) {
      clearTimeout(call.timer);
      call.reject(err);
    }
  }
}
