// NextHop against a real gRPC peer that goes down and comes back on the same address, as a
// restarted relay does: its peers must reach it again as soon as it listens, not only once their
// channel's reconnect backoff has run out.
import { addMultiplexedService, bindGrpcServer, drainGrpcServer, grpc, relay, type common } from '@starling/proto';
import { NextHop } from './next-hop';

const PEER = 'ab'.repeat(32);

async function startPeer(port: number): Promise<grpc.Server> {
  const server = new grpc.Server();
  addMultiplexedService(server, relay.RelayServiceService, {
    forwardOnion: (call: grpc.ServerUnaryCall<relay.ForwardOnionRequest, relay.ForwardOnionResponse>, callback: grpc.sendUnaryData<relay.ForwardOnionResponse>) =>
      callback(null, { status: 200, body: Buffer.from(call.request.payload).reverse() }),
  });
  await bindGrpcServer(server, '127.0.0.1', port);
  return server;
}

describe('NextHop to a peer that restarts', () => {
  let port: number;
  let hop: NextHop;

  beforeEach(async () => {
    // A free port: bound, then released.
    const probe = new grpc.Server();
    port = await bindGrpcServer(probe, '127.0.0.1', 0);
    await drainGrpcServer(probe, 100);
    const node = { pubkeyEd25519: PEER, grpcAddress: `127.0.0.1:${port}` } as common.NodeInfo;
    hop = new NextHop({ node: (key) => (key === PEER ? node : undefined) }, 10_000);
  });

  afterEach(() => hop.onApplicationShutdown());

  it('answers "Next node not found" while the peer is down, and reaches it the moment it is back', async () => {
    // Failed connects put the channel in backoff, where a call fails without trying.
    for (let i = 0; i < 3; i++) {
      const down = await hop.forward(PEER, Buffer.from([1, 2, 3]));
      expect({ status: down.status, outcome: down.outcome }).toEqual({ status: 502, outcome: 'next_node_not_found' });
    }
    const peer = await startPeer(port);
    try {
      const back = await hop.forward(PEER, Buffer.from([1, 2, 3]));
      expect({ status: back.status, outcome: back.outcome, body: Buffer.from(back.body) }).toEqual({ status: 200, outcome: 'forwarded', body: Buffer.from([3, 2, 1]) });
    } finally {
      await drainGrpcServer(peer, 100);
    }
  });

  it('answers "Next node not found" for a key the map does not hold', async () => {
    const missing = await hop.forward('cd'.repeat(32), Buffer.from([1]));
    expect(missing.status).toBe(502);
  });
});
