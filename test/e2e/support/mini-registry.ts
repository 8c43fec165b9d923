// A small in-test registry for the swarm-store network tests (until the devnet launcher lands):
// a real gRPC RegistryService that verifies announcements, lets the test place nodes in swarms,
// and streams maps signed exactly as the real registry signs them.
import { ed25519KeyPairFromSeed, signEd25519, toHex, verifyEd25519 } from '@starling/crypto';
import { announcementSigningBytes, bindGrpcServer, common, grpc, networkMapSigningBytes, registry } from '@starling/proto';
import { randomBytes } from 'crypto';

export class MiniRegistry {
  private readonly server = new grpc.Server();
  private readonly key = ed25519KeyPairFromSeed(randomBytes(32));
  private readonly nodes = new Map<string, common.NodeInfo>();
  private readonly placement = new Map<string, bigint>();
  private readonly watchers = new Set<grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>>();
  private version = 0n;
  address = '';
  /** Swarm for nodes the test has not placed. */
  defaultSwarm = 0n;

  async start(): Promise<void> {
    const impl: registry.RegistryServiceServer = {
      announce: (call, cb) => {
        const { node, timestampMs, signature } = call.request;
        if (!node || !verifyEd25519(signature, announcementSigningBytes(node, timestampMs), Buffer.from(node.pubkeyEd25519, 'hex'))) {
          cb({ code: grpc.status.UNAUTHENTICATED, details: 'bad announcement signature' });
          return;
        }
        this.nodes.set(node.pubkeyEd25519, node);
        this.publish();
        cb(null, { mapVersion: this.version.toString(), heartbeatIntervalMs: 1000 });
      },
      heartbeat: (call, cb) => {
        if (!this.nodes.has(call.request.pubkeyEd25519)) cb({ code: grpc.status.NOT_FOUND, details: 'unknown node' });
        else cb(null, { mapVersion: this.version.toString() });
      },
      getNetworkMap: (_call, cb) => cb(null, { map: this.map() }),
      watchNetworkMap: (call) => {
        this.watchers.add(call);
        call.write({ map: this.map() });
        call.on('cancelled', () => this.watchers.delete(call));
        call.on('close', () => this.watchers.delete(call));
      },
    };
    this.server.addService(registry.RegistryServiceService, impl as unknown as grpc.UntypedServiceImplementation);
    const port = await bindGrpcServer(this.server, '127.0.0.1', 0);
    this.address = `127.0.0.1:${port}`;
  }

  /** Puts a node in a swarm (takes effect in the next map). */
  place(ed25519: string, swarmId: bigint): void {
    this.placement.set(ed25519, swarmId);
    this.publish();
  }

  /** Takes a node out of the map (as after missed heartbeats). */
  remove(ed25519: string): void {
    this.nodes.delete(ed25519);
    this.publish();
  }

  nodeKeys(): string[] {
    return [...this.nodes.keys()];
  }

  private map(): registry.NetworkMap {
    const nodes = [...this.nodes.values()].map((n) => ({ ...n, swarmId: (this.placement.get(n.pubkeyEd25519) ?? this.defaultSwarm).toString() }));
    const unsigned = { version: this.version.toString(), createdMs: String(Date.now()), nodes, registryPubkey: toHex(this.key.publicKey) };
    return { ...unsigned, signature: Buffer.from(signEd25519(this.key.secretKey, networkMapSigningBytes(unsigned))) };
  }

  private publish(): void {
    this.version++;
    const map = this.map();
    for (const w of this.watchers) w.write({ map });
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.end();
    this.server.forceShutdown();
  }
}
