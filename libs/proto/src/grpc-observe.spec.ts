import * as grpc from '@grpc/grpc-js';
import { createGrpcClient, isGrpcStatus } from './grpc-client';
import { GrpcHost } from './grpc-host';
import { MULTIPLEX_MAX_PAYLOAD } from './grpc-mux';
import { callNames, type GrpcCallInfo } from './grpc-observe';
import { SwarmStoreServiceService, type StorageRpcRequest, type StorageRpcResponse } from './gen/starling/swarmstore/v1/swarmstore';

const SERVICE = 'starling.swarmstore.v1.SwarmStoreService';

/** StorageRpc answers 200, or PERMISSION_DENIED for method "refuse". */
const handlers = {
  storageRpc: (call: grpc.ServerUnaryCall<StorageRpcRequest, StorageRpcResponse>, callback: grpc.sendUnaryData<StorageRpcResponse>) => {
    if (call.request.method === 'refuse') return callback({ code: grpc.status.PERMISSION_DENIED, details: 'not from you' });
    callback(null, { status: 200, body: Buffer.from(call.request.method) });
  },
};

describe('timing gRPC calls for metrics', () => {
  const clientSeen: GrpcCallInfo[] = [];
  const serverSeen: GrpcCallInfo[] = [];
  let host: GrpcHost;

  beforeAll(async () => {
    host = new GrpcHost({ host: '127.0.0.1', port: 0, observe: (call, seconds) => (expect(seconds).toBeGreaterThanOrEqual(0), serverSeen.push(call)) }, async () => true);
    host.serve(SwarmStoreServiceService, handlers);
    await host.listen();
  });
  afterAll(() => host.close(500));
  beforeEach(() => {
    clientSeen.length = 0;
    serverSeen.length = 0;
  });

  const client = () => createGrpcClient(SwarmStoreServiceService, host.address, { observe: (call, seconds) => (expect(seconds).toBeGreaterThanOrEqual(0), clientSeen.push(call)) });

  it('names the service and method from the call path', () => {
    expect(callNames('/starling.relay.v1.RelayService/ForwardOnion')).toEqual({ service: 'starling.relay.v1.RelayService', method: 'ForwardOnion' });
  });

  it('sees calls carried on the Multiplex stream on both ends, with their status codes', async () => {
    const c = client();
    await c.storageRpc({ method: 'store', paramsJson: '' });
    const err = await c.storageRpc({ method: 'refuse', paramsJson: '' }).catch((e) => e);
    expect(isGrpcStatus(err, grpc.status.PERMISSION_DENIED)).toBe(true);
    c.close();
    const expected = [
      { service: SERVICE, method: 'StorageRpc', code: grpc.status.OK },
      { service: SERVICE, method: 'StorageRpc', code: grpc.status.PERMISSION_DENIED },
    ];
    expect(clientSeen).toEqual(expected);
    expect(serverSeen).toEqual(expected);
  });

  it('sees a request too large for the stream, sent as a plain unary call, the same way', async () => {
    const c = client();
    await c.storageRpc({ method: 'store', paramsJson: 'x'.repeat(MULTIPLEX_MAX_PAYLOAD + 1) });
    c.close();
    expect(clientSeen).toEqual([{ service: SERVICE, method: 'StorageRpc', code: grpc.status.OK }]);
    expect(serverSeen).toEqual([{ service: SERVICE, method: 'StorageRpc', code: grpc.status.OK }]);
  });

  it('sees every attempt of a retried call, and a peer that is not there as UNAVAILABLE', async () => {
    const gone = new GrpcHost({ host: '127.0.0.1', port: 0 }, async () => true);
    await gone.listen();
    const address = gone.address;
    await gone.close(0);
    const c = createGrpcClient(SwarmStoreServiceService, address, { observe: (call) => clientSeen.push(call), idempotentMethods: ['storageRpc'], maxAttempts: 2 });
    const err = await c.storageRpc({ method: 'store', paramsJson: '' }).catch((e) => e);
    c.close();
    expect(isGrpcStatus(err, grpc.status.UNAVAILABLE)).toBe(true);
    expect(clientSeen.map((call) => grpc.status[call.code])).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
    expect(serverSeen).toEqual([]);
  });
});
