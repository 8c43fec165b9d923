import * as grpc from '@grpc/grpc-js';
import { createGrpcClient, isGrpcStatus } from './grpc-client';
import { bindGrpcServer, drainGrpcServer } from './grpc-server';
import { RelayServiceService, ForwardOnionRequest, ForwardOnionResponse } from './gen/starling/relay/v1/relay';
import { SwarmStoreServiceService, type MonitorRequest, type MonitorResponse } from './gen/starling/swarmstore/v1/swarmstore';

describe('gRPC client helpers', () => {
  let server: grpc.Server;
  let port: number;
  let delayMs = 0;

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(RelayServiceService, {
      forwardOnion: (
        call: grpc.ServerUnaryCall<ForwardOnionRequest, ForwardOnionResponse>,
        callback: grpc.sendUnaryData<ForwardOnionResponse>,
      ) => {
        setTimeout(
          () => callback(null, { status: 200, body: Buffer.from(call.request.payload).reverse() }),
          delayMs,
        );
      },
    });
    port = await bindGrpcServer(server, '127.0.0.1', 0);
  });

  afterAll(() => drainGrpcServer(server, 1_000));

  it('round-trips a unary call with the generated codecs', async () => {
    const client = createGrpcClient(RelayServiceService, `127.0.0.1:${port}`);
    const res = await client.forwardOnion({ payload: Buffer.from([1, 2, 3]) });
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body)).toEqual(Buffer.from([3, 2, 1]));
    client.close();
  });

  it('fails a call that exceeds the default deadline with DEADLINE_EXCEEDED', async () => {
    delayMs = 500;
    const client = createGrpcClient(RelayServiceService, `127.0.0.1:${port}`, { deadlineMs: 50 });
    const err = await client.forwardOnion({ payload: Buffer.alloc(0) }).catch((e) => e);
    expect(isGrpcStatus(err, grpc.status.DEADLINE_EXCEEDED)).toBe(true);
    delayMs = 0;
    client.close();
  });

  it('retries an idempotent call while the peer is unavailable, and not a non-idempotent one', async () => {
    const late = new grpc.Server();
    const freePort = await bindGrpcServer(late, '127.0.0.1', 0);
    await drainGrpcServer(late, 100);
    const once = createGrpcClient(RelayServiceService, `127.0.0.1:${freePort}`, { deadlineMs: 2_000 });
    const err = await once.forwardOnion({ payload: Buffer.alloc(0) }).catch((e) => e);
    expect(isGrpcStatus(err, grpc.status.UNAVAILABLE)).toBe(true);
    once.close();

    const retrying = createGrpcClient(RelayServiceService, `127.0.0.1:${freePort}`, {
      deadlineMs: 2_000,
      idempotentMethods: ['forwardOnion'],
      maxAttempts: 6,
    });
    const revived = new grpc.Server();
    revived.addService(RelayServiceService, {
      forwardOnion: (_call: unknown, cb: grpc.sendUnaryData<ForwardOnionResponse>) =>
        cb(null, { status: 201, body: Buffer.alloc(0) }),
    });
    const pending = retrying.forwardOnion({ payload: Buffer.alloc(0) });
    setTimeout(() => void bindGrpcServer(revived, '127.0.0.1', freePort), 150);
    await expect(pending).resolves.toMatchObject({ status: 201 });
    retrying.close();
    await drainGrpcServer(revived, 100);
  });

  it('reaches a peer that came back while the channel waited out its reconnect backoff, and fails soon for one still down', async () => {
    const late = new grpc.Server();
    const freePort = await bindGrpcServer(late, '127.0.0.1', 0);
    await drainGrpcServer(late, 100);
    const client = createGrpcClient(RelayServiceService, `127.0.0.1:${freePort}`, { deadlineMs: 10_000, reconnectWaitMs: 1_500 });
    // Failed connects put the channel in backoff; calls meanwhile wait for it, then fail.
    for (let i = 0; i < 2; i++) {
      const err = await client.forwardOnion({ payload: Buffer.alloc(0) }).catch((e) => e);
      expect(isGrpcStatus(err, grpc.status.UNAVAILABLE)).toBe(true);
    }
    const revived = new grpc.Server();
    revived.addService(RelayServiceService, {
      forwardOnion: (_call: unknown, cb: grpc.sendUnaryData<ForwardOnionResponse>) => cb(null, { status: 202, body: Buffer.alloc(0) }),
    });
    await bindGrpcServer(revived, '127.0.0.1', freePort);
    // One attempt (not idempotent): only the wait can make it succeed.
    await expect(client.forwardOnion({ payload: Buffer.alloc(0) })).resolves.toMatchObject({ status: 202 });
    client.close();
    await drainGrpcServer(revived, 100);
  });

  it('opens a bidirectional stream: each request answered on it, in order, until the caller ends it', async () => {
    const bidi = new grpc.Server();
    bidi.addService(SwarmStoreServiceService, {
      monitor: (call: grpc.ServerDuplexStream<MonitorRequest, MonitorResponse>) => {
        call.on('data', (req: MonitorRequest) => call.write({ result: { requestId: req.requestId, outcomes: req.subscriptions.map(() => ({ errcode: 0, error: '' })) } }));
        call.on('end', () => call.end());
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const bidiPort = await bindGrpcServer(bidi, '127.0.0.1', 0);
    const client = createGrpcClient(SwarmStoreServiceService, `127.0.0.1:${bidiPort}`);
    const stream = client.monitor();
    const results: string[] = [];
    const ended = new Promise<void>((resolve) => stream.on('end', resolve));
    stream.on('data', (res: MonitorResponse) => results.push(res.result!.requestId));
    stream.write({ requestId: '1', subscriptions: [] });
    stream.write({ requestId: '2', subscriptions: [] });
    stream.end();
    await ended;
    expect(results).toEqual(['1', '2']);
    client.close();
    await drainGrpcServer(bidi, 100);
  });
});
