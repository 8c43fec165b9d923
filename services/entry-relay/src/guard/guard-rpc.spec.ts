// The relay's answers to direct storage RPCs, with a real gRPC storage-node stand-in behind it.
import * as grpc from '@grpc/grpc-js';
import { textReply, type EdgeRequest } from '@starling/platform';
import { bindGrpcServer, common, swarmstore } from '@starling/proto';
import type { NodeMembership, ServiceNodeOptions } from '@starling/service-node';
import { GuardRpc } from './guard-rpc';

const request = (body: string): EdgeRequest => ({ method: 'POST', path: '/storage_rpc/v1', query: '', headers: {}, body: Buffer.from(body) });

describe('GuardRpc', () => {
  let server: grpc.Server;
  let address: string;
  const asked: Array<{ method: string; paramsJson: string }> = [];
  const options = { hopTimeoutMs: 2_000 } as ServiceNodeOptions;
  const mapWith = (nodes: Partial<common.NodeInfo>[]) => ({ map: { nodes } }) as unknown as NodeMembership;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(swarmstore.SwarmStoreServiceService, {
      storageRpc: (call: grpc.ServerUnaryCall<swarmstore.StorageRpcRequest, unknown>, cb: grpc.sendUnaryData<swarmstore.StorageRpcResponse>) => {
        asked.push({ method: call.request.method, paramsJson: call.request.paramsJson });
        cb(null, { status: 200, body: Buffer.from('{"snodes":[]}') });
      },
    } as unknown as swarmstore.SwarmStoreServiceServer);
    address = `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`;
  });
  afterAll(() => server.forceShutdown());

  it('answers info itself with the version clients require', async () => {
    const reply = await new GuardRpc(mapWith([]), options).handleStorageRpc(request('{"method":"info","params":{}}'));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(Buffer.from(reply.body).toString())).toMatchObject({ version: [2, 8, 0], hf: [19, 4] });
  });

  it('asks a storage node of the map for get_swarm and passes its JSON answer on', async () => {
    const guard = new GuardRpc(mapWith([{ role: common.NodeRole.NODE_ROLE_STORE, grpcAddress: address }]), options);
    const reply = await guard.handleStorageRpc(request('{"method":"get_swarm","params":{"pubkey":"05ab"}}'));
    expect(reply.status).toBe(200);
    expect(Buffer.from(reply.body).toString()).toBe('{"snodes":[]}');
    expect(asked).toEqual([{ method: 'get_swarm', paramsJson: '{"pubkey":"05ab"}' }]);
    guard.onApplicationShutdown();
  });

  it.each([
    ['JSON nested 10,000 deep', `{"method":"get_swarm","params":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'invalid request: JSON nested deeper than 32 levels'],
    ['not JSON', '{"method":', 'invalid request: body is not valid JSON'],
    ['an array', '[]', 'invalid request: expected a JSON object with "method"'],
    ['a method that is not a string', '{"method":7}', 'invalid request: "method" must be a string'],
    ['an unknown method', '{"method":"store"}', 'no method store'],
  ])('refuses %s with 400 and a reason', async (_name, body, reason) => {
    const reply = await new GuardRpc(mapWith([]), options).handleStorageRpc(request(body));
    expect(reply).toEqual(textReply(400, reason));
  });

  it('answers 503 when it knows no storage node, and 502 when the node is unreachable', async () => {
    expect((await new GuardRpc(mapWith([]), options).handleStorageRpc(request('{"method":"get_swarm"}'))).status).toBe(503);
    const gone = new GuardRpc(mapWith([{ role: common.NodeRole.NODE_ROLE_STORE, grpcAddress: '127.0.0.1:1' }]), options);
    expect(Buffer.from((await gone.handleStorageRpc(request('{"method":"get_swarm"}'))).body).toString()).toBe('storage node unavailable');
    gone.onApplicationShutdown();
  });
});
