import * as grpc from '@grpc/grpc-js';

/** Binds a grpc-js server and resolves with the port actually bound (0 picks a free one). */
export function bindGrpcServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
}

/**
 * Stops accepting calls, lets in-flight calls finish within `graceMs`, then cuts the rest:
 * Kubernetes sends SIGTERM well before it kills a pod.
 */
export function drainGrpcServer(server: grpc.Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
