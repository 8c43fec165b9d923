// RelayService, the gRPC face every node shows the previous hop of a path (a blob to peel) and
// the registry's probes (its identity). Both methods are answered on the Multiplex stream too,
// which the previous hop uses under load.
import * as grpc from '@grpc/grpc-js';
import type { relay } from '@starling/proto';
import type { HopMetrics } from '../hop-metrics';
import type { OnionHop } from '../onion/onion-hop';

export interface RelayGrpcDeps {
  hop: Pick<OnionHop, 'handle'>;
  metrics: HopMetrics;
  pubkeyEd25519: string;
  version: string;
}

/** The unary handlers; addMultiplexedService answers them on the Multiplex stream too. */
export function relayGrpcHandlers({ hop, metrics, pubkeyEd25519, version }: RelayGrpcDeps): Omit<relay.RelayServiceServer, 'multiplex'> {
  return {
    forwardOnion: (call: grpc.ServerUnaryCall<relay.ForwardOnionRequest, relay.ForwardOnionResponse>, callback: grpc.sendUnaryData<relay.ForwardOnionResponse>) => {
      const started = process.hrtime.bigint();
      hop.handle(call.request.payload).then(
        (reply) => {
          metrics.record('grpc', reply.outcome, Number(process.hrtime.bigint() - started) / 1e9);
          callback(null, { status: reply.status, body: Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength) });
        },
        (err: Error) => callback({ code: grpc.status.INTERNAL, details: err.message }),
      );
    },
    ping: (_call: grpc.ServerUnaryCall<relay.PingRequest, relay.PingResponse>, callback: grpc.sendUnaryData<relay.PingResponse>) => {
      callback(null, { pubkeyEd25519, version });
    },
  };
}
