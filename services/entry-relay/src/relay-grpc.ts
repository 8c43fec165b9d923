// The relay's gRPC face, for the previous relay of a path and for the registry's probes. Both
// methods are also answered on the Multiplex stream, which the previous relay uses under load.
import * as grpc from '@grpc/grpc-js';
import { relay } from '@starling/proto';
import { RelayContext } from './relay-context';

/** The unary handlers; addMultiplexedService answers them on the Multiplex stream too. */
export function relayGrpcService(context: RelayContext, version: string): Omit<relay.RelayServiceServer, 'multiplex'> {
  return {
    forwardOnion: (call: grpc.ServerUnaryCall<relay.ForwardOnionRequest, relay.ForwardOnionResponse>, callback: grpc.sendUnaryData<relay.ForwardOnionResponse>) => {
      const started = process.hrtime.bigint();
      context.router.handle(call.request.payload).then(
        (outcome) => {
          context.metrics.record('grpc', outcome.outcome, Number(process.hrtime.bigint() - started) / 1e9);
          callback(null, { status: outcome.status, body: Buffer.from(outcome.body.buffer, outcome.body.byteOffset, outcome.body.byteLength) });
        },
        (err: Error) => callback({ code: grpc.status.INTERNAL, details: err.message }),
      );
    },
    ping: (_call: grpc.ServerUnaryCall<relay.PingRequest, relay.PingResponse>, callback: grpc.sendUnaryData<relay.PingResponse>) => {
      callback(null, { pubkeyEd25519: context.pubkeyEd25519, version });
    },
  };
}
