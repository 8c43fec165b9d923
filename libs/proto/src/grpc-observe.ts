// Timing of unary gRPC calls for metrics, without a dependency on any metrics library: callers
// pass an observer (the platform's GrpcMetrics gives one for clients and one for servers).
import * as grpc from '@grpc/grpc-js';

/** One finished unary call: full service name, method name as in the .proto file, status code. */
export interface GrpcCallInfo {
  service: string;
  method: string;
  code: grpc.status;
}

export type GrpcCallObserver = (call: GrpcCallInfo, seconds: number) => void;

/** `/starling.relay.v1.RelayService/ForwardOnion` -> service and method names. */
export function callNames(path: string): { service: string; method: string } {
  const slash = path.lastIndexOf('/');
  return { service: path.slice(1, slash), method: path.slice(slash + 1) };
}

/** Seconds since a process.hrtime.bigint() reading. */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The status code a failed call ends with, as grpc-js reports it (INTERNAL when it has none). */
export function statusOf(err: unknown): grpc.status {
  if (err === null || err === undefined) return grpc.status.OK;
  const code = (err as Partial<grpc.StatusObject>).code;
  return typeof code === 'number' ? code : grpc.status.INTERNAL;
}

/**
 * The handlers with every unary one timed from its call to its callback (status code from the
 * error it answers with). Streaming handlers are left as they are: a stream's length is not a
 * latency. The Multiplex server calls the same unary handlers, so calls on it are timed too.
 */
export function observedHandlers<H extends object>(service: grpc.ServiceDefinition, handlers: H, observe: GrpcCallObserver): H {
  const out = { ...handlers } as Record<string, unknown>;
  for (const [name, def] of Object.entries(service)) {
    const handler = (handlers as Record<string, unknown>)[name];
    if (def.requestStream || def.responseStream || typeof handler !== 'function') continue;
    const names = callNames(def.path);
    const unary = handler as grpc.handleUnaryCall<unknown, unknown>;
    out[name] = ((call, callback) => {
      const started = process.hrtime.bigint();
      unary(call, (err, ...rest) => {
        observe({ ...names, code: statusOf(err) }, secondsSince(started));
        (callback as (...args: unknown[]) => void)(err, ...rest);
      });
    }) satisfies grpc.handleUnaryCall<unknown, unknown>;
  }
  return out as H;
}
