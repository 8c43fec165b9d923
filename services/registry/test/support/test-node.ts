// A storage node or relay as the registry sees one: its own Ed25519 identity, a real gRPC server
// answering Ping on loopback, and signed announcements and heartbeats.
import { randomBytes } from 'crypto';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, signEd25519, toHex } from '@starling/crypto';
import {
  announcementSigningBytes,
  bindGrpcServer,
  common,
  createGrpcClient,
  grpc,
  heartbeatSigningBytes,
  registry,
  relay,
  swarmstore,
  type PromiseClient,
} from '@starling/proto';

export type RegistryClient = PromiseClient<typeof registry.RegistryServiceService>;

export function registryClient(address: string): RegistryClient {
  return createGrpcClient(registry.RegistryServiceService, address, { deadlineMs: 5_000 });
}

export class TestNode {
  readonly seed = randomBytes(32);
  readonly pubkeyEd25519: string;
  readonly pubkeyX25519: string;
  server: grpc.Server | undefined;
  grpcPort = 0;
  /** What Ping answers with; a wrong key fails the reachability test. */
  pingKey: string;

  constructor(readonly role: common.NodeRole = common.NodeRole.NODE_ROLE_STORE) {
    const { publicKey } = ed25519KeyPairFromSeed(this.seed);
    this.pubkeyEd25519 = toHex(publicKey);
    this.pubkeyX25519 = toHex(ed25519PublicKeyToX25519(publicKey));
    this.pingKey = this.pubkeyEd25519;
  }

  async listen(port = 0): Promise<void> {
    const server = new grpc.Server();
    const ping = (_call: unknown, cb: grpc.sendUnaryData<swarmstore.PingResponse>) => cb(null, { pubkeyEd25519: this.pingKey, version: '2.8.0' });
    const unimplemented = (_call: unknown, cb: grpc.sendUnaryData<never>) => cb({ code: grpc.status.UNIMPLEMENTED });
    if (this.role === common.NodeRole.NODE_ROLE_RELAY) {
      server.addService(relay.RelayServiceService, { forwardOnion: unimplemented, ping });
    } else {
      server.addService(swarmstore.SwarmStoreServiceService, {
        storageRpc: unimplemented,
        onionRequest: unimplemented,
        forwardedRpc: unimplemented,
        pushMessages: unimplemented,
        ping,
      });
    }
    this.grpcPort = await bindGrpcServer(server, '127.0.0.1', port);
    this.server = server;
  }

  stopServer(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  info(overrides: Partial<common.NodeInfo> = {}): common.NodeInfo {
    return {
      role: this.role,
      pubkeyEd25519: this.pubkeyEd25519,
      pubkeyX25519: this.pubkeyX25519,
      grpcAddress: `127.0.0.1:${this.grpcPort || 1}`,
      publicIp: '127.0.0.1',
      publicPort: 8000 + (this.grpcPort % 1000),
      swarmId: '0',
      version: '2.8.0',
      ...overrides,
    };
  }

  announcement(overrides: Partial<common.NodeInfo> = {}, timestampMs = Date.now()): registry.AnnounceRequest {
    const node = this.info(overrides);
    return { node, timestampMs: String(timestampMs), signature: Buffer.from(signEd25519(this.seed, announcementSigningBytes(node, timestampMs))) };
  }

  heartbeat(timestampMs = Date.now()): registry.HeartbeatRequest {
    return {
      pubkeyEd25519: this.pubkeyEd25519,
      timestampMs: String(timestampMs),
      signature: Buffer.from(signEd25519(this.seed, heartbeatSigningBytes(this.pubkeyEd25519, timestampMs))),
    };
  }
}
