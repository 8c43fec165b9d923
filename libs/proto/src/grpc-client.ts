import * as grpc from '@grpc/grpc-js';

export interface GrpcClientOptions {
  /** Deadline applied to every call that does not set its own. */
  deadlineMs?: number;
  /** Methods (lower camel case, as in the generated definition) safe to retry on UNAVAILABLE. */
  idempotentMethods?: readonly string[];
  /** Attempts for an idempotent call, including the first. */
  maxAttempts?: number;
}

type ServiceDefinition = grpc.ServiceDefinition;

/** A client whose methods return promises (unary) or async iterables (server streams). */
export type PromiseClient<S extends ServiceDefinition> = {
  [M in keyof S]: S[M] extends grpc.MethodDefinition<infer Req, infer Res>
    ? S[M]['responseStream'] extends true
      ? (request: Req, options?: grpc.CallOptions) => grpc.ClientReadableStream<Res>
      : (request: Req, options?: grpc.CallOptions) => Promise<Res>
    : never;
} & { close(): void; channel: grpc.Client };

const RETRYABLE = new Set([grpc.status.UNAVAILABLE]);

/**
 * Builds a client for a generated service definition. Every unary call gets a deadline by
 * default; idempotent methods are retried with backoff when the peer is unavailable.
 */
export function createGrpcClient<S extends ServiceDefinition>(
  service: S,
  address: string,
  options: GrpcClientOptions = {},
): PromiseClient<S> {
  const deadlineMs = options.deadlineMs ?? 5_000;
  const idempotent = new Set(options.idempotentMethods ?? []);
  const maxAttempts = options.maxAttempts ?? 3;
  const Constructor = grpc.makeGenericClientConstructor(service, 'Service');
  const channel = new Constructor(address, grpc.credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
  const raw = channel as unknown as Record<string, (...args: unknown[]) => unknown>;
  const client: Record<string, unknown> = {
    close: () => channel.close(),
    channel,
  };
  for (const [name, method] of Object.entries(service)) {
    if (method.responseStream) {
      client[name] = (request: unknown, callOptions?: grpc.CallOptions) =>
        raw[name].call(channel, request, new grpc.Metadata(), callOptions ?? {});
      continue;
    }
    const once = (request: unknown, callOptions?: grpc.CallOptions) =>
      new Promise((resolve, reject) => {
        const callOpts = { deadline: Date.now() + deadlineMs, ...callOptions };
        raw[name].call(channel, request, new grpc.Metadata(), callOpts, (err: grpc.ServiceError | null, res: unknown) =>
          err ? reject(err) : resolve(res),
        );
      });
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

/** True when an error is a gRPC status error with the given code. */
export function isGrpcStatus(err: unknown, code: grpc.status): boolean {
  return typeof err === 'object' && err !== null && (err as grpc.ServiceError).code === code;
}

export { grpc };
