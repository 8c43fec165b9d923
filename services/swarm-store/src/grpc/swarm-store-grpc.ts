// SwarmStoreService, the storage's gRPC face: StorageRpc (the same requests clients send over
// HTTP), ForwardedRpc and PushMessages for swarm peers (signed by a storage node of the map), Ping
// for the registry's reachability test, and Monitor, the push services' stream of new-message
// notices. Every unary one is also answered on the Multiplex stream that busy callers use.
// (Onion hops arrive through RelayService, as on every node.)
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { verifyEd25519 } from '@starling/crypto';
import { LOGGER, type Logger } from '@starling/platform';
import { forwardedRpcSigningBytes, grpc, GrpcHost, statusError, swarmstore } from '@starling/proto';
import { STORAGE_SERVER_VERSION_TEXT } from '@starling/service-node';
import { NodeIdentity } from '../identity/node-identity';
import type { MonitorRegistry } from '../monitor/monitor-registry';
import { MONITORS } from '../monitor/monitor.module';
import type { MonitorSink } from '../monitor/monitor-wire';
import { PushReceiver, PushRefused } from '../replication/push-receiver';
import type { RpcResult } from '../rpc/method';
import { rpcBodyText, StorageRpc } from '../rpc/storage-rpc';
import { SwarmViews } from '../swarm-membership/swarm-views';
import { serveMonitorStream } from './monitor-stream';

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

@Injectable()
export class SwarmStoreGrpc implements OnModuleInit {
  constructor(
    private readonly grpcHost: GrpcHost,
    private readonly rpc: StorageRpc,
    private readonly pushReceiver: PushReceiver,
    private readonly views: SwarmViews,
    private readonly identity: NodeIdentity,
    @Inject(MONITORS) private readonly monitors: MonitorRegistry<MonitorSink>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.grpcHost.serve(swarmstore.SwarmStoreServiceService, this.handlers());
  }

  handlers(): Omit<swarmstore.SwarmStoreServiceServer, 'multiplex'> {
    return {
      storageRpc: this.unary('StorageRpc', async (req: swarmstore.StorageRpcRequest) => wire(await this.rpc.handleCall(req.method, req.paramsJson, 'grpc'))),

      forwardedRpc: this.unary('ForwardedRpc', async (req: swarmstore.ForwardedRpcRequest) => {
        const from = req.fromPubkeyEd25519.toLowerCase();
        if (!this.views.current.nodes.has(from)) throw statusError(grpc.status.PERMISSION_DENIED, 'forward from a node that is not a storage node of the network map');
        if (!verifyEd25519(req.signature, forwardedRpcSigningBytes(from, req.method, req.paramsJson, req.receivedMs), Buffer.from(from, 'hex'))) {
          throw statusError(grpc.status.UNAUTHENTICATED, 'forward signature does not verify');
        }
        if (!this.rpc.dispatcher.isRecursive(req.method)) throw statusError(grpc.status.INVALID_ARGUMENT, `${req.method.slice(0, 64)} is not a recursive method`);
        const result = await this.rpc.handleForwarded(req.method, req.paramsJson, Number(req.receivedMs));
        return { status: result.status, body: rpcBodyText(result) };
      }),

      pushMessages: this.unary('PushMessages', async (req: swarmstore.PushMessagesRequest) => {
        try {
          return { accepted: await this.pushReceiver.receive(req) };
        } catch (err) {
          if (!(err instanceof PushRefused)) throw err;
          const code = err.reason === 'malformed' ? grpc.status.INVALID_ARGUMENT : err.reason === 'bad-signature' ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED;
          throw statusError(code, err.message);
        }
      }),

      ping: this.unary('Ping', async () => ({ pubkeyEd25519: this.identity.ed25519Hex, version: STORAGE_SERVER_VERSION_TEXT })),

      monitor: (call: grpc.ServerDuplexStream<swarmstore.MonitorRequest, swarmstore.MonitorResponse>) => serveMonitorStream(call, this.monitors, this.logger),
    };
  }

  /** Wraps an async handler so that a throw becomes a gRPC status instead of a crash. */
  private unary<Req, Res>(name: string, fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
    return (call, callback) => {
      fn(call.request).then(
        (res) => callback(null, res),
        (err: Error & { code?: grpc.status; details?: string }) => {
          if (err.code === undefined) this.logger.error({ err, rpc: name }, 'grpc handler failed');
          callback({ code: err.code ?? grpc.status.INTERNAL, details: err.code === undefined ? 'internal error' : (err.details ?? err.message) });
        },
      );
    };
  }
}

function wire(result: RpcResult): swarmstore.StorageRpcResponse {
  return { status: result.status, body: Buffer.from(rpcBodyText(result), 'utf8') };
}
