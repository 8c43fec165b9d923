// The node's gRPC face: StorageRpc for relays (the same requests clients send over HTTP),
// ForwardedRpc and PushMessages for swarm peers (signed by a storage node of the map), Ping for
// the registry's reachability test, and OnionRequest, the last hop of a client's onion path.
// Every one of them is also answered on the Multiplex stream that busy callers use.
import { verifyEd25519 } from '@starling/crypto';
import type { Logger } from '@starling/platform';
import { addGrpcHealthService, addMultiplexedService, forwardedRpcSigningBytes, grpc, statusError, swarmstore } from '@starling/proto';
import { PushRefused } from '../replication/push-receiver';
import { VERSION } from '../rpc/limits';
import type { RpcResult } from '../rpc/method';
import type { StorageCore } from '../storage-core';
import { stringifyAnswer } from '../rpc/answer-json';
import { parseRpcJson } from '../rpc/json-body';
import type { Json } from '../rpc/params';
import { answerOnionRequest } from '../onion/onion-destination';

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

function toWire(result: RpcResult): { status: number; body: string } {
  return { status: result.status, body: typeof result.body === 'string' ? result.body : stringifyAnswer(result.body) };
}

/** Wraps an async handler so that a throw becomes a gRPC status instead of a crash. */
function unary<Req, Res>(logger: Logger, name: string, fn: (req: Req) => Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err: Error & { code?: grpc.status; details?: string }) => {
        if (err.code === undefined) logger.error({ err, rpc: name }, 'grpc handler failed');
        callback({ code: err.code ?? grpc.status.INTERNAL, details: err.code === undefined ? 'internal error' : (err.details ?? err.message) });
      },
    );
  };
}

export function swarmStoreGrpcHandlers(core: StorageCore, logger: Logger): Omit<swarmstore.SwarmStoreServiceServer, 'multiplex'> {
  const metrics = core.metrics;
  return {
    storageRpc: unary(logger, 'StorageRpc', async (req: swarmstore.StorageRpcRequest) => {
      const now = Date.now();
      const parsed = parseRpcJson(req.paramsJson === '' ? '{}' : req.paramsJson);
      const result = parsed.ok
        ? await core.dispatcher.call(req.method, parsed.value, { nowMs: now, forwarded: false }, true)
        : { status: 400, body: parsed.error };
      metrics.rpcRequests.inc({ method: methodLabel(req.method), status: String(result.status), transport: 'grpc' });
      const wire = toWire(result);
      return { status: wire.status, body: Buffer.from(wire.body, 'utf8') };
    }),

    onionRequest: unary(logger, 'OnionRequest', async (req: swarmstore.OnionRequestRequest) => {
      const keys = { publicKey: Buffer.from(core.identity.x25519Hex, 'hex'), secretKey: core.identity.x25519SecretKey };
      const answer = await answerOnionRequest(keys, req.payload, async (method, params) => {
        const result = await core.dispatcher.call(method, params as Json | undefined, { nowMs: Date.now(), forwarded: false }, true);
        metrics.rpcRequests.inc({ method: methodLabel(method), status: String(result.status), transport: 'onion' });
        return result;
      });
      return { status: answer.status, body: Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength) };
    }),

    forwardedRpc: unary(logger, 'ForwardedRpc', async (req: swarmstore.ForwardedRpcRequest) => {
      const from = req.fromPubkeyEd25519.toLowerCase();
      if (!core.currentView().nodes.has(from)) throw statusError(grpc.status.PERMISSION_DENIED, 'forward from a node that is not a storage node of the network map');
      if (!verifyEd25519(req.signature, forwardedRpcSigningBytes(from, req.method, req.paramsJson, req.receivedMs), Buffer.from(from, 'hex'))) {
        throw statusError(grpc.status.UNAUTHENTICATED, 'forward signature does not verify');
      }
      if (!core.dispatcher.isRecursive(req.method)) throw statusError(grpc.status.INVALID_ARGUMENT, `${req.method.slice(0, 64)} is not a recursive method`);
      const parsed = parseRpcJson(req.paramsJson);
      const receivedMs = Number(req.receivedMs);
      const result = parsed.ok
        ? await core.dispatcher.call(req.method, parsed.value, { nowMs: receivedMs, forwarded: true }, false)
        : { status: 400, body: parsed.error };
      metrics.rpcRequests.inc({ method: methodLabel(req.method), status: String(result.status), transport: 'forwarded' });
      return toWire(result);
    }),

    pushMessages: unary(logger, 'PushMessages', async (req: swarmstore.PushMessagesRequest) => {
      try {
        return { accepted: await core.pushReceiver.receive(req) };
      } catch (err) {
        if (!(err instanceof PushRefused)) throw err;
        const code = err.reason === 'malformed' ? grpc.status.INVALID_ARGUMENT : err.reason === 'bad-signature' ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED;
        throw statusError(code, err.message);
      }
    }),

    ping: unary(logger, 'Ping', async () => ({ pubkeyEd25519: core.identity.ed25519Hex, version: VERSION.join('.') })),
  };
}

/** Method names as metric labels: known names only, so a client cannot create series at will. */
const KNOWN = new Set(['store', 'retrieve', 'delete', 'delete_all', 'delete_before', 'expire', 'expire_all', 'get_expiries', 'get_swarm', 'get_snodes_for_pubkey', 'info', 'batch', 'sequence']);
export function methodLabel(method: unknown): string {
  return typeof method === 'string' && KNOWN.has(method) ? method : 'unknown';
}

/** The gRPC server (not yet bound), with the standard health service answering from `serving`. */
export function createSwarmStoreGrpcServer(core: StorageCore, logger: Logger, serving: () => boolean | Promise<boolean> = () => true): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
    'grpc.max_send_message_length': 16 * 1024 * 1024,
  });
  addMultiplexedService(server, swarmstore.SwarmStoreServiceService, swarmStoreGrpcHandlers(core, logger));
  addGrpcHealthService(server, serving, ['starling.swarmstore.v1.SwarmStoreService']);
  return server;
}
