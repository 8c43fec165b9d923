// Several storage cores in this process, each with its own database and a real gRPC server on a
// free loopback port, wired by swarm views set directly (the registry is not needed here).
import { openDatabase, stringifyJson } from '@starling/platform';
import { bindGrpcServer, drainGrpcServer, type grpc } from '@starling/proto';
import { randomBytes } from 'crypto';
import { createSwarmStoreGrpcServer } from '../../src/grpc/swarm-store-grpc';
import { NodeIdentity } from '../../src/identity/node-identity';
import { StorageCore, type CoreSettings } from '../../src/storage-core';
import { SwarmView, type SwarmMember } from '../../src/swarm-membership/swarm-view';
import { silentLogger } from './core';

export interface ClusterNode {
  core: StorageCore;
  port: number;
  member(swarmId: bigint): SwarmMember;
  rpc(method: string, params: unknown): Promise<{ status: number; json: any; body: unknown }>;
  /** Stops the gRPC server (the node is unreachable, its data stays). */
  takeDown(): Promise<void>;
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startClusterNode(settings: Partial<CoreSettings> = {}): Promise<ClusterNode> {
  const db = await openDatabase();
  const identity = new NodeIdentity(randomBytes(32));
  const core = await StorageCore.open({ db, identity, logger: silentLogger, settings: { retryInterval: 200, ...settings } });
  let server: grpc.Server | undefined = createSwarmStoreGrpcServer(core, silentLogger);
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  core.startBackground();
  const node: ClusterNode = {
    core,
    port,
    member: (swarmId) => ({ ed25519: identity.ed25519Hex, x25519: identity.x25519Hex, grpcAddress: `127.0.0.1:${port}`, publicIp: '127.0.0.1', publicPort: port, swarmId }),
    async rpc(method, params) {
      const r = await core.dispatcher.handleRequest({ method, params }, { nowMs: Date.now(), forwarded: false });
      return { status: r.status, json: typeof r.body === 'string' ? {} : JSON.parse(stringifyJson(r.body)), body: r.body };
    },
    async takeDown() {
      if (server) await drainGrpcServer(server, 100);
      server = undefined;
    },
    async bringUp() {
      server = createSwarmStoreGrpcServer(core, silentLogger);
      await bindGrpcServer(server, '127.0.0.1', port);
    },
    async close() {
      await node.takeDown();
      await core.close();
      await db.close();
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
