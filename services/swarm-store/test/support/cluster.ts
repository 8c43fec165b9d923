// Several whole storage nodes in this process, each with its own in-memory database, its real
// gRPC server on a free loopback port and its public edge, wired by swarm views set directly (the
// registry is not needed here).
import { SwarmView, type SwarmMember } from '@starling/membership';
import { startService, stringifyJson } from '@starling/platform';
import { addMultiplexedService, bindGrpcServer, drainGrpcServer, grpc, GrpcHost, swarmstore } from '@starling/proto';
import { MAX_ONION_BYTES } from '@starling/service-node';
import { randomBytes } from 'crypto';
import { SwarmStoreGrpc } from '../../src/grpc/swarm-store-grpc';
import { MIGRATIONS_DIR } from '../../src/swarm-store';
import { SwarmStoreModule } from '../../src/swarm-store.module';
import { nodeParts, silentLogger, testConfig, type NodeParts } from './core';

export interface ClusterNode {
  core: NodeParts;
  port: number;
  member(swarmId: bigint): SwarmMember;
  rpc(method: string, params: unknown): Promise<{ status: number; json: any; body: unknown }>;
  /** Stops the gRPC server (the node is unreachable, its data stays). */
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startClusterNode(settings: Parameters<typeof testConfig>[0] = {}): Promise<ClusterNode> {
  const config = testConfig({ httpPort: 0, grpcPort: 0, retryInterval: 200, ...settings });
  const service = await startService(
    { name: 'swarm-store', logger: silentLogger, edge: { host: '127.0.0.1', port: 0, maxBodyBytes: MAX_ONION_BYTES }, database: { migrations: MIGRATIONS_DIR }, sharedState: {} },
    SwarmStoreModule.forConfig(config, randomBytes(32)),
  );
  const core = nodeParts(service.app);
  const grpcHost = service.app.get(GrpcHost, { strict: false });
  const port = grpcHost.port;
  // A server brought back up after takeDown: the node's own handlers on a fresh server, same port.
  let revived: grpc.Server | undefined;
  let down = false;
  const node: ClusterNode = {
    core,
    port,
    member: (swarmId) => ({ ed25519: core.identity.ed25519Hex, x25519: core.identity.x25519Hex, grpcAddress: `127.0.0.1:${port}`, publicIp: '127.0.0.1', publicPort: port, swarmId }),
    async rpc(method, params) {
      const r = await core.dispatcher.handleRequest({ method, params }, { nowMs: Date.now(), forwarded: false });
      return { status: r.status, json: typeof r.body === 'string' ? {} : JSON.parse(stringifyJson(r.body)), body: r.body };
    },
    async takeDown() {
      if (down) return;
      down = true;
      await (revived ? drainGrpcServer(revived, 100) : grpcHost.close(100));
      revived = undefined;
    },
    async bringUp() {
      revived = new grpc.Server();
      addMultiplexedService(revived, swarmstore.SwarmStoreServiceService, service.app.get(SwarmStoreGrpc, { strict: false }).handlers());
      await bindGrpcServer(revived, '127.0.0.1', port);
      down = false;
    },
    async close() {
      if (revived) await drainGrpcServer(revived, 100);
      await service.close();
    },
  };
  return node;
}

/** Gives every node the same map: `swarms` maps swarm id -> members. */
export async function applyMap(nodes: readonly ClusterNode[], swarms: ReadonlyMap<bigint, readonly ClusterNode[]>): Promise<void> {
  const members = [...swarms].flatMap(([id, list]) => list.map((n) => n.member(id)));
  await Promise.all(nodes.map((n) => n.core.setView(new SwarmView(n.core.identity.ed25519Hex, members))));
}

/** Whether a node holds a message (straight from its database). */
export async function holds(node: ClusterNode, hash: string): Promise<{ namespace: number } | undefined> {
  const [m] = await node.core.store.messagesByHash([hash]);
  return m ? { namespace: m.namespace } : undefined;
}
