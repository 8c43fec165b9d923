import * as grpc from '@grpc/grpc-js';
import { createGrpcClient, isGrpcStatus } from './grpc-client';
import {
  addMultiplexedService,
  encodeMultiplexResponse,
  MULTIPLEX_MAX_PAYLOAD,
  withMultiplex,
  type MultiplexAnswer,
  type MultiplexRequest,
  type MultiplexResponse,
} from './grpc-mux';
import { bindGrpcServer, drainGrpcServer } from './grpc-server';
import { MultiplexResponse as MultiplexResponseCodec, SwarmStoreServiceService, type StorageRpcRequest, type StorageRpcResponse } from './gen/starling/swarmstore/v1/swarmstore';

type Transport = 'unary' | 'multiplex';

/** A node whose StorageRpc echoes `method` after `params_json` milliseconds, noting how it came. */
function echoHandlers(seen: Transport[]) {
  return {
    storageRpc: (call: grpc.ServerUnaryCall<StorageRpcRequest, StorageRpcResponse>, callback: grpc.sendUnaryData<StorageRpcResponse>) => {
      // Only a real unary call has a peer; a multiplexed one is a plain object.
      seen.push(typeof (call as { getPeer?: unknown }).getPeer === 'function' ? 'unary' : 'multiplex');
      const { method, paramsJson } = call.request;
      if (method === 'refuse') return callback({ code: grpc.status.PERMISSION_DENIED, details: 'not from you' });
      setTimeout(() => callback(null, { status: 200, body: Buffer.from(method) }), Number(paramsJson.length > 16 ? 0 : paramsJson || 0));
    },
  };
}

async function startNode(seen: Transport[], multiplex = true): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const handlers = echoHandlers(seen);
  if (multiplex) addMultiplexedService(server, SwarmStoreServiceService, handlers);
  else server.addService(SwarmStoreServiceService, handlers as unknown as grpc.UntypedServiceImplementation);
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  return { server, address: `127.0.0.1:${port}` };
}

describe('unary calls multiplexed on one stream', () => {
  it('answers many concurrent calls, each with its own result, in completion order', async () => {
    const seen: Transport[] = [];
    const { server, address } = await startNode(seen);
    const client = createGrpcClient(SwarmStoreServiceService, address);
    const delays = Array.from({ length: 200 }, (_, i) => (i * 7) % 23);
    const answers = await Promise.all(delays.map((d, i) => client.storageRpc({ method: `call-${i}`, paramsJson: String(d) })));
    expect(answers.map((a) => Buffer.from(a.body).toString())).toEqual(delays.map((_, i) => `call-${i}`));
    expect(new Set(seen)).toEqual(new Set(['multiplex']));
    client.close();
    await drainGrpcServer(server, 500);
  });

  it('gathers the calls of one turn of the event loop into one message', async () => {
    const frames: number[] = [];
    const server = new grpc.Server();
    const handlers = withMultiplex(SwarmStoreServiceService, echoHandlers([]));
    server.addService(SwarmStoreServiceService, {
      ...handlers,
      multiplex: (stream: grpc.ServerDuplexStream<MultiplexRequest, MultiplexResponse>) => {
        stream.on('data', (frame: MultiplexRequest) => frames.push(frame.calls.length));
        handlers.multiplex(stream);
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const client = createGrpcClient(SwarmStoreServiceService, `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`);
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.storageRpc({ method: `burst-${i}`, paramsJson: '0' })));
    await client.storageRpc({ method: 'alone', paramsJson: '0' });
    expect(frames).toEqual([50, 1]);
    client.close();
    await drainGrpcServer(server, 500);
  });

  it('carries a handler status error to the caller with its code and message', async () => {
    const { server, address } = await startNode([]);
    const client = createGrpcClient(SwarmStoreServiceService, address);
    const err = await client.storageRpc({ method: 'refuse', paramsJson: '' }).catch((e) => e);
    expect(isGrpcStatus(err, grpc.status.PERMISSION_DENIED)).toBe(true);
    expect((err as grpc.ServiceError).details).toBe('not from you');
    client.close();
    await drainGrpcServer(server, 500);
  });

  it('fails a slow call with DEADLINE_EXCEEDED and keeps the stream for the next ones', async () => {
    const seen: Transport[] = [];
    const { server, address } = await startNode(seen);
    const client = createGrpcClient(SwarmStoreServiceService, address, { deadlineMs: 100 });
    const err = await client.storageRpc({ method: 'slow', paramsJson: '400' }).catch((e) => e);
    expect(isGrpcStatus(err, grpc.status.DEADLINE_EXCEEDED)).toBe(true);
    await expect(client.storageRpc({ method: 'fast', paramsJson: '0' })).resolves.toMatchObject({ body: Buffer.from('fast') });
    await new Promise((r) => setTimeout(r, 400)); // the late answer arrives and is dropped
    await expect(client.storageRpc({ method: 'after', paramsJson: '0' })).resolves.toMatchObject({ body: Buffer.from('after') });
    expect(seen.every((t) => t === 'multiplex')).toBe(true);
    client.close();
    await drainGrpcServer(server, 1_000);
  });

  it('sends a request above the size limit as a plain unary call', async () => {
    const seen: Transport[] = [];
    const { server, address } = await startNode(seen);
    const client = createGrpcClient(SwarmStoreServiceService, address);
    await client.storageRpc({ method: 'small', paramsJson: '0' });
    const big = await client.storageRpc({ method: 'big', paramsJson: 'x'.repeat(MULTIPLEX_MAX_PAYLOAD + 1) });
    expect(Buffer.from(big.body).toString()).toBe('big');
    expect(seen).toEqual(['multiplex', 'unary']);
    client.close();
    await drainGrpcServer(server, 500);
  });

  it('falls back to unary calls when the peer has no Multiplex method', async () => {
    const seen: Transport[] = [];
    const { server, address } = await startNode(seen, false);
    const client = createGrpcClient(SwarmStoreServiceService, address);
    const answers = await Promise.all([0, 1, 2].map((i) => client.storageRpc({ method: `old-${i}`, paramsJson: '0' })));
    expect(answers.map((a) => Buffer.from(a.body).toString())).toEqual(['old-0', 'old-1', 'old-2']);
    await client.storageRpc({ method: 'again', paramsJson: '0' });
    expect(seen).toEqual(['unary', 'unary', 'unary', 'unary']);
    client.close();
    await drainGrpcServer(server, 500);
  });

  it('rejects calls in flight with UNAVAILABLE when the peer goes away, and reconnects after', async () => {
    const seen: Transport[] = [];
    const first = await startNode(seen);
    const port = Number(first.address.split(':')[1]);
    const client = createGrpcClient(SwarmStoreServiceService, first.address, { deadlineMs: 3_000 });
    await client.storageRpc({ method: 'warm', paramsJson: '0' });
    const inFlight = client.storageRpc({ method: 'cut', paramsJson: '1000' }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    first.server.forceShutdown();
    expect(isGrpcStatus(await inFlight, grpc.status.UNAVAILABLE)).toBe(true);

    const second = new grpc.Server();
    second.addService(SwarmStoreServiceService, withMultiplex(SwarmStoreServiceService, echoHandlers(seen)) as unknown as grpc.UntypedServiceImplementation);
    await bindGrpcServer(second, '127.0.0.1', port);
    await expect(client.storageRpc({ method: 'back', paramsJson: '0' })).resolves.toMatchObject({ body: Buffer.from('back') });
    client.close();
    await drainGrpcServer(second, 500);
  });

  it('answers an unknown method, a streaming method and an undecodable request with a status, not a crash', async () => {
    const { server, address } = await startNode([]);
    const Client = grpc.makeGenericClientConstructor(SwarmStoreServiceService, 'SwarmStore');
    const channel = new Client(address, grpc.credentials.createInsecure());
    const stream = (channel as unknown as { multiplex(): grpc.ClientDuplexStream<MultiplexRequest, MultiplexResponse> }).multiplex();
    const answers: MultiplexAnswer[] = [];
    stream.on('data', (frame: MultiplexResponse) => answers.push(...frame.answers));
    const done = new Promise((resolve) => stream.on('end', resolve));
    stream.write({
      calls: [
        { id: 1, method: 'nope', payload: Buffer.alloc(0) },
        { id: 2, method: 'multiplex', payload: Buffer.alloc(0) },
        { id: 3, method: 'storageRpc', payload: Buffer.from([0x0a, 0xff, 0xff]) },
      ],
    });
    stream.write({ calls: [{ id: 4, method: 'storageRpc', payload: Buffer.alloc(0) }] });
    stream.end();
    await done;
    const byId = new Map(answers.map((a) => [a.id, a]));
    expect(byId.get(1)?.errorCode).toBe(grpc.status.UNIMPLEMENTED);
    expect(byId.get(2)?.errorCode).toBe(grpc.status.UNIMPLEMENTED);
    expect(byId.get(3)?.errorCode).toBe(grpc.status.INVALID_ARGUMENT);
    expect(byId.get(4)?.errorCode).toBe(0); // an empty message is a valid (all-default) request
    channel.close();
    await drainGrpcServer(server, 500);
  });
});

describe('encodeMultiplexResponse', () => {
  it('writes the bytes the generated encoder writes', () => {
    const answer = (id: number, payload: number, errorCode = 0, errorMessage = ''): MultiplexAnswer => ({
      id,
      payload: Buffer.alloc(payload, id & 0xff),
      errorCode,
      errorMessage,
    });
    const frames: MultiplexResponse[] = [
      { answers: [] },
      { answers: [answer(1, 3)] },
      { answers: [answer(0, 0)] },
      { answers: [answer(127, 127), answer(128, 128), answer(16_384, 300_000), answer(0xffffffff, 1)] },
      { answers: [answer(5, 0, grpc.status.PERMISSION_DENIED, 'not from you ✓'), answer(6, 10)] },
    ];
    for (const frame of frames) {
      const expected = Buffer.from(MultiplexResponseCodec.encode(frame).finish());
      expect(encodeMultiplexResponse(frame).equals(expected)).toBe(true);
      expect(MultiplexResponseCodec.decode(encodeMultiplexResponse(frame))).toEqual(frame);
    }
  });
});
