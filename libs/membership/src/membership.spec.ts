// The membership client against a real gRPC server that speaks the registry contract: what the
// client signs must verify with the contract's signing bytes, and what it accepts must be signed.
import { identityFromSeed, ready, signEd25519, toHex, verifyEd25519 } from '@starling/crypto';
import { eventually } from '@starling/platform';
import {
  announcementSigningBytes,
  bindGrpcServer,
  common,
  drainGrpcServer,
  grpc,
  heartbeatSigningBytes,
  networkMapSigningBytes,
  registry,
} from '@starling/proto';
import { NetworkMapFollower } from './map-follower';
import { NetworkMembership, NetworkMap } from './membership';

type Watcher = grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>;

class TestRegistry {
  readonly server = new grpc.Server();
  readonly announcements: registry.AnnounceRequest[] = [];
  heartbeats = 0;
  forgetHeartbeats = false;
  private watchers = new Set<Watcher>();
  port = 0;

  constructor(private readonly signer = identityFromSeed(new Uint8Array(32).fill(7))) {
    this.server.addService(registry.RegistryServiceService, {
      announce: (call: grpc.ServerUnaryCall<registry.AnnounceRequest, registry.AnnounceResponse>, cb: grpc.sendUnaryData<registry.AnnounceResponse>) => {
        const { node, timestampMs, signature } = call.request;
        const ok = verifyEd25519(signature, announcementSigningBytes(node!, timestampMs), Buffer.from(node!.pubkeyEd25519, 'hex'));
        if (!ok) return cb({ code: grpc.status.UNAUTHENTICATED, details: 'bad signature' });
        this.announcements.push(call.request);
        cb(null, { mapVersion: '1', heartbeatIntervalMs: 50 });
      },
      heartbeat: (call: grpc.ServerUnaryCall<registry.HeartbeatRequest, registry.HeartbeatResponse>, cb: grpc.sendUnaryData<registry.HeartbeatResponse>) => {
        const { pubkeyEd25519, timestampMs, signature } = call.request;
        if (!verifyEd25519(signature, heartbeatSigningBytes(pubkeyEd25519, timestampMs), Buffer.from(pubkeyEd25519, 'hex'))) {
          return cb({ code: grpc.status.UNAUTHENTICATED, details: 'bad signature' });
        }
        this.heartbeats++;
        if (this.forgetHeartbeats) return cb({ code: grpc.status.NOT_FOUND, details: 'unknown node' });
        cb(null, { mapVersion: '1' });
      },
      getNetworkMap: (_call: unknown, cb: grpc.sendUnaryData<registry.GetNetworkMapResponse>) => cb(null, { map: undefined }),
      watchNetworkMap: (call: Watcher) => {
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
      },
    });
  }

  async start(port = 0) {
    this.port = await bindGrpcServer(this.server, '127.0.0.1', port);
    return this;
  }

  signedMap(version: number, nodes: common.NodeInfo[], signer = this.signer): NetworkMap {
    const unsigned = { version: String(version), createdMs: String(Date.now()), nodes, registryPubkey: toHex(signer.ed25519.publicKey) };
    return { ...unsigned, signature: Buffer.from(signEd25519(signer.ed25519.secretKey, networkMapSigningBytes(unsigned))) };
  }

  publish(map: NetworkMap) {
    for (const w of this.watchers) w.write({ map });
  }

  get watcherCount() {
    return this.watchers.size;
  }

  stop() {
    for (const w of this.watchers) w.end();
    return drainGrpcServer(this.server, 200);
  }
}

const relayNode = (ed: string): common.NodeInfo => ({
  role: common.NodeRole.NODE_ROLE_RELAY,
  pubkeyEd25519: ed,
  pubkeyX25519: 'aa'.repeat(32),
  grpcAddress: '127.0.0.1:1',
  publicIp: '127.0.0.1',
  publicPort: 1,
  swarmId: '18446744073709551615',
  version: '1.0.0',
});

describe('NetworkMembership', () => {
  let reg: TestRegistry;
  let member: NetworkMembership;
  const keys = () => identityFromSeed(new Uint8Array(32).fill(1));

  beforeAll(() => ready());

  beforeEach(async () => {
    reg = await new TestRegistry().start();
    member = new NetworkMembership({
      registryAddress: `127.0.0.1:${reg.port}`,
      keys: keys(),
      role: common.NodeRole.NODE_ROLE_RELAY,
      grpcAddress: '127.0.0.1:9',
      version: '1.0.0',
    });
    await member.start();
  });

  afterEach(async () => {
    member.close();
    await reg.stop();
  });

  it('announces itself with a signature the registry verifies, then heartbeats', async () => {
    expect(reg.announcements).toHaveLength(1);
    expect(reg.announcements[0].node!.pubkeyEd25519).toBe(toHex(keys().ed25519.publicKey));
    await eventually(() => expect(reg.heartbeats).toBeGreaterThan(1), 3_000);
  });

  it('follows newer signed maps and indexes their nodes', async () => {
    await eventually(() => expect(reg.watcherCount).toBe(1), 3_000);
    reg.publish(reg.signedMap(2, [relayNode('bb'.repeat(32))]));
    await member.waitForMap((m) => m.version === '2', 3_000);
    expect(member.node('BB'.repeat(32))?.grpcAddress).toBe('127.0.0.1:1');
    reg.publish(reg.signedMap(1, []));
    reg.publish(reg.signedMap(3, []));
    await member.waitForMap((m) => m.version === '3', 3_000);
    expect(member.node('bb'.repeat(32))).toBeUndefined();
  });

  it('ignores a map with a bad signature and one signed by another registry', async () => {
    await eventually(() => expect(reg.watcherCount).toBe(1), 3_000);
    reg.publish(reg.signedMap(2, []));
    await member.waitForMap((m) => m.version === '2', 3_000);

    const tampered = reg.signedMap(5, [relayNode('cc'.repeat(32))]);
    tampered.nodes[0].grpcAddress = '10.0.0.1:1';
    reg.publish(tampered);
    reg.publish(reg.signedMap(6, [], identityFromSeed(new Uint8Array(32).fill(9))));
    reg.publish(reg.signedMap(7, []));
    await member.waitForMap((m) => m.version === '7', 3_000);
    expect(member.node('cc'.repeat(32))).toBeUndefined();
  });

  it('announces again when the registry no longer knows it', async () => {
    reg.forgetHeartbeats = true;
    await eventually(() => expect(reg.announcements.length).toBeGreaterThan(1), 3_000);
  });

  it('reconnects its map stream after the registry restarts on the same port', async () => {
    await eventually(() => expect(reg.watcherCount).toBe(1), 3_000);
    const port = reg.port;
    await reg.stop();
    reg = await new TestRegistry().start(port);
    await eventually(() => expect(reg.watcherCount).toBe(1), 5_000);
    reg.publish(reg.signedMap(4, []));
    await member.waitForMap((m) => m.version === '4', 3_000);
  });
});

describe('NetworkMapFollower', () => {
  beforeAll(() => ready());

  it('follows the signed map without announcing itself, and stops when closed', async () => {
    const reg = await new TestRegistry().start();
    const follower = new NetworkMapFollower({ registryAddress: `127.0.0.1:${reg.port}` });
    follower.follow();
    await eventually(() => expect(reg.watcherCount).toBe(1), 3_000);
    reg.publish(reg.signedMap(3, [relayNode('dd'.repeat(32))]));
    await follower.waitForMap((m) => m.version === '3', 3_000);
    expect(follower.node('dd'.repeat(32))).toBeDefined();
    expect(reg.announcements).toHaveLength(0);
    follower.close();
    await eventually(() => expect(reg.watcherCount).toBe(0), 3_000);
    await reg.stop();
  });
});
