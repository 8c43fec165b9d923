import * as grpc from '@grpc/grpc-js';
import { hasMultiplex, MULTIPLEX_MAX_PAYLOAD, MultiplexCaller, statusError, type MultiplexRequest, type MultiplexResponse } from './grpc-mux';
import { callNames, secondsSince, statusOf, type GrpcCallObserver } from './grpc-observe';

export interface GrpcClientOptions {
  /** Deadline applied to every call that does not set its own. */
  deadlineMs?: number;
  /** Methods (lower camel case, as in the generated definition) safe to retry on UNAVAILABLE. */
  idempotentMethods?: readonly string[];
  /** Attempts for an idempotent call, including the first. */
  maxAttempts?: number;
  /** Told of every attempt of a unary call, unary or on the Multiplex stream (metrics). */
  observe?: GrpcCallObserver;
  /**
   * How long a unary call made while the channel waits out its reconnect backoff first waits for
   * a connection (within its deadline; default 0). gRPC fails it at once, even when the peer has
   * just come back (a node restarted). For callers that would rather wait a moment than call a
   * restarted peer gone (an onion hop, a reachability test); not where a failed call is queued
   * for later anyway (swarm fan-out): there every call to a dead peer would wait.
   */
  reconnectWaitMs?: number;
}

type ServiceDefinition = grpc.ServiceDefinition;

/** The longest a channel waits before trying a failed peer again (grpc-js adds up to 20% jitter). */
export const MAX_RECONNECT_BACKOFF_MS = 1_000;

/**
 * A client whose methods return promises (unary calls), readable streams (server streams) or
 * duplex streams (bidirectional streams, opened without a deadline: they live as long as the caller wants).
 */
export type PromiseClient<S extends ServiceDefinition> = {
  [M in Exclude<keyof S, 'multiplex'>]: S[M] extends grpc.MethodDefinition<infer Req, infer Res>
    ? S[M]['responseStream'] extends true
      ? S[M]['requestStream'] extends true
        ? (options?: grpc.CallOptions) => grpc.ClientDuplexStream<Req, Res>
        : (request: Req, options?: grpc.CallOptions) => grpc.ClientReadableStream<Res>
      : (request: Req, options?: grpc.CallOptions) => Promise<Res>
    : never;
} & { close(): void; channel: grpc.Client };

const RETRYABLE = new Set([grpc.status.UNAVAILABLE]);

/**
 * Builds a client for a generated service definition. Every unary call gets a deadline by
 * default; idempotent methods are retried with backoff when the peer is unavailable. When the
 * service has a Multiplex method, small unary calls travel on its stream (see grpc-mux).
 */
export function createGrpcClient<S extends ServiceDefinition>(
  service: S,
  address: string,
  options: GrpcClientOptions = {},
): PromiseClient<S> {
  const deadlineMs = options.deadlineMs ?? 5_000;
  const idempotent = new Set(options.idempotentMethods ?? []);
  const maxAttempts = options.maxAttempts ?? 3;
  const reconnectWaitMs = options.reconnectWaitMs ?? 0;
  const Constructor = grpc.makeGenericClientConstructor(service, 'Service');
  const channel = new Constructor(address, grpc.credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 30_000,
    // HTTP/2's default 64 KiB receive window makes a large answer (a retrieve of 100 messages is
    // ~140 KB) wait for window updates, a round trip each; answers up to this size flow at once.
    'grpc-node.flow_control_window': 4 * 1024 * 1024,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
    // After failed connection attempts grpc-js waits up to 2 minutes before the next one, failing
    // every call meanwhile: a peer that restarted (a pod rolled, a node healed) would stay
    // unreachable long after it is back. Peers are on the same network; trying each second is cheap.
    'grpc.max_reconnect_backoff_ms': MAX_RECONNECT_BACKOFF_MS,
  });
  const raw = channel as unknown as Record<string, (...args: unknown[]) => unknown>;
  const mux = hasMultiplex(service)
    ? new MultiplexCaller(() => raw.multiplex.call(channel, new grpc.Metadata(), {}) as grpc.ClientDuplexStream<MultiplexRequest, MultiplexResponse>)
    : undefined;
  const client: Record<string, unknown> = {
    close: () => {
      mux?.close();
      channel.close();
    },
    channel,
  };
  for (const [name, method] of Object.entries(service)) {
    if (name === 'multiplex') continue;
    if (method.requestStream && method.responseStream) {
      client[name] = (callOptions?: grpc.CallOptions) => raw[name].call(channel, new grpc.Metadata(), callOptions ?? {});
      continue;
    }
    if (method.responseStream) {
      client[name] = (request: unknown, callOptions?: grpc.CallOptions) =>
        raw[name].call(channel, request, new grpc.Metadata(), callOptions ?? {});
      continue;
    }
    const unary = (request: unknown, callOpts: grpc.CallOptions) =>
      new Promise((resolve, reject) => {
        raw[name].call(channel, request, new grpc.Metadata(), callOpts, (err: grpc.ServiceError | null, res: unknown) =>
          err ? reject(err) : resolve(res),
        );
      });
    const send = async (request: unknown, callOptions?: grpc.CallOptions) => {
      const callOpts = { deadline: Date.now() + deadlineMs, ...callOptions };
      if (reconnectWaitMs > 0 && channel.getChannel().getConnectivityState(false) === grpc.connectivityState.TRANSIENT_FAILURE) {
        const until = Math.min(Date.now() + reconnectWaitMs, Number(callOpts.deadline));
        if (!(await connectedBefore(channel, until))) throw statusError(grpc.status.UNAVAILABLE, `no connection to ${address}`);
      }
      if (!mux?.supported) return unary(request, callOpts);
      const payload = method.requestSerialize(request);
      if (payload.length > MULTIPLEX_MAX_PAYLOAD) return unary(request, callOpts);
      try {
        return method.responseDeserialize(await mux.call(name, payload, Number(callOpts.deadline)));
      } catch (err) {
        // The peer predates Multiplex: this and every later call go as unary calls.
        if (!mux.supported) return unary(request, callOpts);
        throw err;
      }
    };
    const names = callNames(method.path);
    const observe = options.observe;
    const once = !observe
      ? send
      : async (request: unknown, callOptions?: grpc.CallOptions) => {
          const started = process.hrtime.bigint();
          try {
            const res = await send(request, callOptions);
            observe({ ...names, code: grpc.status.OK }, secondsSince(started));
            return res;
          } catch (err) {
            observe({ ...names, code: statusOf(err) }, secondsSince(started));
            throw err;
          }
        };
    client[name] = async (request: unknown, callOptions?: grpc.CallOptions) => {
      const attempts = idempotent.has(name) ? maxAttempts : 1;
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(request, callOptions);
        } catch (err) {
          const code = (err as grpc.ServiceError).code;
          if (attempt >= attempts || !RETRYABLE.has(code)) throw err;
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      }
    };
  }
  return client as PromiseClient<S>;
}

/** Resolves true once the channel is connected, false if the deadline passes first. */
function connectedBefore(channel: grpc.Client, deadline: number): Promise<boolean> {
  return new Promise((resolve) => channel.waitForReady(deadline, (err) => resolve(!err)));
}

/** True when an error is a gRPC status error with the given code. */
export function isGrpcStatus(err: unknown, code: grpc.status): boolean {
  return typeof err === 'object' && err !== null && (err as grpc.ServiceError).code === code;
}

export { grpc };
