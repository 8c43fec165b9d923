// Just enough of a network for the push service, on real gRPC servers in this process: a registry
// that serves signed network maps (WatchNetworkMap), and storage nodes that speak the Monitor
// contract — they record and accept the subscriptions they get (checking nothing: the real checks
// live in swarm-store and are tested there), and write the notices a test asks for.
import { ed25519PublicKeyToX25519, identityFromSeed, signEd25519, toHex, type Identity } from '@starling/crypto';
import { bindGrpcServer, common, drainGrpcServer, grpc, networkMapSigningBytes, registry, swarmstore } from '@starling/proto';
import { randomBytes } from 'crypto';

type MapWatcher = grpc.ServerWritableStream<registry.WatchNetworkMapRequest, registry.WatchNetworkMapResponse>;
type MonitorCall = grpc.ServerDuplexStream<swarmstore.MonitorRequest, swarmstore.MonitorResponse>;

const unimplemented = (_call: unknown, callback: (err: Partial<grpc.StatusObject>) => void) => callback({ code: grpc.status.UNIMPLEMENTED, details: 'not in this test' });

export class TestRegistry {
  readonly signer: Identity = identityFromSeed(randomBytes(32));
  private readonly server = new grpc.Server();
  private readonly watchers = new Set<MapWatcher>();
  private version = 0;
  private latest: registry.NetworkMap | undefined;
  address = '';

  constructor() {
    this.server.addService(registry.RegistryServiceService, {
      announce: unimplemented,
      heartbeat: unimplemented,
      getNetworkMap: (_call: unknown, cb: grpc.sendUnaryData<registry.GetNetworkMapResponse>) => cb(null, { map: this.latest }),
      watchNetworkMap: (call: MapWatcher) => {
        this.watchers.add(call);
        if (this.latest) call.write({ map: this.latest });
        call.on('cancelled', () => this.watchers.delete(call));
      },
    });
  }

  async start(): Promise<this> {
    this.address = `127.0.0.1:${await bindGrpcServer(this.server, '127.0.0.1', 0)}`;
    return this;
  }

  get pubkey(): string {
    return toHex(this.signer.ed25519.publicKey);
  }

  /** Publishes a newer map in which each node is in the swarm given. */
  publish(swarms: ReadonlyArray<readonly [bigint, readonly TestStorageNode[]]>): registry.NetworkMap {
    const nodes = swarms.flatMap(([swarmId, members]) => members.map((n) => n.info(swarmId)));
    const unsigned = { version: String(++this.version), createdMs: String(Date.now()), nodes, registryPubkey: this.pubkey };
    this.latest = { ...unsigned, signature: Buffer.from(signEd25519(this.signer.ed25519.secretKey, networkMapSigningBytes(unsigned))) };
    for (const w of this.watchers) w.write({ map: this.latest });
    return this.latest;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.end();
    await drainGrpcServer(this.server, 200);
  }
}

export class TestStorageNode {
  readonly ed25519 = toHex(randomBytes(32));
  /** Every subscription received, by stream (a new stream after a reconnect is a new entry). */
  readonly streams: Array<{ subscriptions: swarmstore.MonitorSubscription[]; call: MonitorCall }> = [];
  /** The errcode to answer a subscription with (0 = accepted). */
  answer: (s: swarmstore.MonitorSubscription) => number = () => 0;
  private server: grpc.Server | undefined;
  port = 0;

  async start(port = 0): Promise<this> {
    const server = new grpc.Server();
    server.addService(swarmstore.SwarmStoreServiceService, {
      storageRpc: unimplemented,
      onionRequest: unimplemented,
      forwardedRpc: unimplemented,
      pushMessages: unimplemented,
      ping: unimplemented,
      multiplex: (call: grpc.ServerDuplexStream<unknown, unknown>) => call.end(),
      monitor: (call: MonitorCall) => {
        const stream = { subscriptions: [] as swarmstore.MonitorSubscription[], call };
        this.streams.push(stream);
        call.on('data', (req: swarmstore.MonitorRequest) => {
          stream.subscriptions.push(...req.subscriptions);
          call.write({ result: { requestId: req.requestId, outcomes: req.subscriptions.map((s) => ({ errcode: this.answer(s), error: '' })) } });
        });
        call.on('end', () => call.end());
        call.on('error', () => undefined);
      },
    } as unknown as grpc.UntypedServiceImplementation);
    this.port = await bindGrpcServer(server, '127.0.0.1', port);
    this.server = server;
    return this;
  }

  /** Stops serving (open streams break); start(node.port) brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.forceShutdown();
      await drainGrpcServer(server, 0).catch(() => undefined);
    }
  }

  info(swarmId: bigint): common.NodeInfo {
    return {
      role: common.NodeRole.NODE_ROLE_STORE,
      pubkeyEd25519: this.ed25519,
      pubkeyX25519: toHex(randomBytes(32)),
      grpcAddress: `127.0.0.1:${this.port}`,
      publicIp: '127.0.0.1',
      publicPort: this.port,
      swarmId: swarmId.toString(),
      version: '2.8.0',
    };
  }

  /** The accounts (hex) subscribed on the newest stream. */
  subscribedAccounts(): string[] {
    const stream = this.streams[this.streams.length - 1];
    return [...new Set((stream?.subscriptions ?? []).map(accountOf))];
  }

  /** Writes a new-message notice on every open stream, as a node that just stored the message. */
  notify(notice: swarmstore.MonitorNotice): void {
    for (const { call } of this.streams) if (!call.cancelled && call.writable) call.write({ notice });
  }
}

/** The 33-byte account a subscription names (hex): p= as it is, P= as the 05 Session ID. */
export function accountOf(s: swarmstore.MonitorSubscription): string {
  return s.pubkey.length === 33 ? toHex(s.pubkey) : `05${toHex(ed25519PublicKeyToX25519(s.sessionEd25519))}`;
}
