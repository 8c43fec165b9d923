// The registry in-process against a real database (PGlite, and PostgreSQL when DATABASE_URL is
// set), with nodes that are real gRPC servers on loopback.
import { fromHex, ready, verifyEd25519 } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { common, createGrpcClient, grpc, HealthService, HealthServingStatus, networkMapSigningBytes, NO_SWARM_ID, registry } from '@starling/proto';
import type { RunningRegistry } from '../src/registry';
import { registryBackends, type RegistryBackend } from './support/registry-backends';
import { registryClient, TestNode, type RegistryClient } from './support/test-node';

beforeAll(() => ready());

const STORE = common.NodeRole.NODE_ROLE_STORE;
const RELAY = common.NodeRole.NODE_ROLE_RELAY;

function swarmsOf(map: registry.NetworkMap): Map<string, string[]> {
  const swarms = new Map<string, string[]>();
  for (const n of map.nodes) if (n.role === STORE) swarms.set(n.swarmId, [...(swarms.get(n.swarmId) ?? []), n.pubkeyEd25519]);
  return swarms;
}

async function codeOf(call: Promise<unknown>): Promise<grpc.status | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    return (err as grpc.ServiceError).code;
  }
}

describe.each(registryBackends())('registry on $name', ({ create }) => {
  let backend: RegistryBackend;
  let reg: RunningRegistry;
  let client: RegistryClient;
  const nodes: TestNode[] = [];

  const startNode = async (role = STORE) => {
    const node = new TestNode(role);
    await node.listen();
    nodes.push(node);
    return node;
  };
  const currentMap = async () => (await client.getNetworkMap({})).map!;

  beforeAll(async () => {
    backend = create();
    reg = await backend.start();
    client = registryClient(`127.0.0.1:${reg.grpcPort}`);
  });

  afterAll(async () => {
    client?.close();
    for (const n of nodes) n.stopServer();
    await backend?.cleanup();
  });

  it('forms two swarms of three from six store nodes and lists the relay without a swarm', async () => {
    const stores = [];
    for (let i = 0; i < 6; i++) {
      const node = await startNode();
      stores.push(node);
      const res = await client.announce(node.announcement());
      expect(res.heartbeatIntervalMs).toBeGreaterThan(0);
    }
    const relayNode = await startNode(RELAY);
    await client.announce(relayNode.announcement({ publicPort: 9999 }));

    const map = await eventually(async () => {
      const m = await currentMap();
      expect(m.nodes).toHaveLength(7);
      expect([...swarmsOf(m).values()].map((s) => s.length)).toEqual([3, 3]);
      return m;
    }, 10_000);
    expect(map.nodes.find((n) => n.pubkeyEd25519 === relayNode.pubkeyEd25519)).toMatchObject({ role: RELAY, swarmId: NO_SWARM_ID, publicPort: 9999 });
    expect(map.registryPubkey).toBe(reg.identity.publicKeyHex);
    expect(verifyEd25519(map.signature, networkMapSigningBytes(map), fromHex(map.registryPubkey, 32))).toBe(true);
  });

  it('answers the standard gRPC health check', async () => {
    const health = createGrpcClient(HealthService, `127.0.0.1:${reg.grpcPort}`);
    try {
      expect(await health.check({ service: 'starling.registry.v1.RegistryService' })).toEqual({ status: HealthServingStatus.SERVING });
    } finally {
      health.close();
    }
  });

  it('serves the map through the seed API with the exact content type', async () => {
    const res = await fetch(`http://127.0.0.1:${reg.httpPort}/json_rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'get_n_service_nodes', params: { active_only: true, fields: { public_ip: true, storage_port: true, pubkey_ed25519: true, pubkey_x25519: true, swarm_id: true, role: true } } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { result: { service_node_states: Record<string, unknown>[]; block_hash: string; height: number } };
    const map = await currentMap();
    expect(body.result.height).toBe(Number(map.version));
    expect(body.result.service_node_states).toHaveLength(map.nodes.length);
    const relayState = body.result.service_node_states.find((s) => s.role === 'relay')!;
    expect(relayState.swarm_id).toBe(NO_SWARM_ID);
    expect(Object.keys(relayState).sort()).toEqual(['pubkey_ed25519', 'pubkey_x25519', 'public_ip', 'role', 'storage_port', 'swarm_id']);

    const again = await fetch(`http://127.0.0.1:${reg.httpPort}/json_rpc`, {
      method: 'POST',
      body: JSON.stringify({ method: 'get_service_nodes', params: { poll_block_hash: body.result.block_hash } }),
    });
    expect(((await again.json()) as { result: { unchanged: boolean } }).result.unchanged).toBe(true);
  });

  it('answers /readyz and /metrics on the ops port only, and caps seed bodies at 8 KiB', async () => {
    const ops = `http://127.0.0.1:${reg.opsPort}`;
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toContain('registry_map_version');
    expect(metrics).toContain('http_requests_total{route="/json_rpc",method="POST",status="200"');
    expect((await fetch(`http://127.0.0.1:${reg.httpPort}/readyz`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${reg.httpPort}/metrics`)).status).toBe(404);
    const padded = JSON.stringify({ method: 'get_n_service_nodes', params: { pad: 'x'.repeat(8 * 1024) } });
    expect((await fetch(`http://127.0.0.1:${reg.httpPort}/json_rpc`, { method: 'POST', body: padded })).status).toBe(413);
  });

  it('refuses unsigned, wrongly signed, inconsistent, stale and replayed announcements', async () => {
    const node = await startNode();
    const other = new TestNode();
    const good = node.announcement();
    const before = (await currentMap()).version;

    expect(await codeOf(client.announce({ ...good, signature: Buffer.alloc(0) }))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await codeOf(client.announce({ ...good, signature: other.announcement().signature }))).toBe(grpc.status.UNAUTHENTICATED);
    // Signed correctly, but a field changed after signing.
    expect(await codeOf(client.announce({ ...good, node: { ...good.node!, grpcAddress: '127.0.0.1:1' } }))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await codeOf(client.announce(node.announcement({ pubkeyX25519: other.pubkeyX25519 })))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce(node.announcement({ role: common.NodeRole.NODE_ROLE_UNSPECIFIED })))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce(node.announcement({ grpcAddress: 'no-port' })))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce(node.announcement({ publicIp: '', publicPort: 80 })))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce(node.announcement({ pubkeyEd25519: 'XYZ' })))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce({ node: undefined, timestampMs: String(Date.now()), signature: Buffer.alloc(64) }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await codeOf(client.announce(node.announcement({}, Date.now() - 3_600_000)))).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await codeOf(client.announce(node.announcement({}, Date.now() + 3_600_000)))).toBe(grpc.status.FAILED_PRECONDITION);

    expect(await codeOf(client.announce(good))).toBe('ok');
    expect(await codeOf(client.announce(good))).toBe(grpc.status.FAILED_PRECONDITION); // replay
    // Only the good announcement got in.
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).toContain(node.pubkeyEd25519), 10_000);
    expect(BigInt((await currentMap()).version)).toBeGreaterThan(BigInt(before));
    expect((await currentMap()).nodes.filter((n) => n.pubkeyEd25519 === other.pubkeyEd25519)).toEqual([]);
  });

  it('accepts heartbeats from known nodes only, signed by them', async () => {
    const known = nodes[0]!;
    expect(await codeOf(client.heartbeat(known.heartbeat()))).toBe('ok');
    expect(await codeOf(client.heartbeat({ ...known.heartbeat(), signature: Buffer.alloc(64, 1) }))).toBe(grpc.status.UNAUTHENTICATED);
    expect(await codeOf(client.heartbeat(new TestNode().heartbeat()))).toBe(grpc.status.NOT_FOUND);
    expect(await codeOf(client.heartbeat(known.heartbeat(Date.now() - 3_600_000)))).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it('streams each new map version to watchers', async () => {
    const current = await currentMap();
    const stream = client.watchNetworkMap({ knownVersion: current.version });
    const seen: registry.NetworkMap[] = [];
    stream.on('data', (res: registry.WatchNetworkMapResponse) => seen.push(res.map!));
    stream.on('error', () => undefined);
    try {
      const node = await startNode();
      await client.announce(node.announcement());
      await eventually(() => {
        const latest = seen[seen.length - 1];
        expect(latest?.nodes.map((n) => n.pubkeyEd25519)).toContain(node.pubkeyEd25519);
        expect(BigInt(latest!.version)).toBeGreaterThan(BigInt(current.version));
      }, 10_000);
      // The version the watcher already held is not sent again.
      expect(seen.every((m) => BigInt(m.version) > BigInt(current.version))).toBe(true);
    } finally {
      stream.cancel();
    }
  });

  it('takes a node out after repeated failed tests, and back in once it answers again', async () => {
    const node = await startNode();
    await client.announce(node.announcement());
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).toContain(node.pubkeyEd25519), 10_000);
    const port = node.grpcPort;
    node.stopServer();
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).not.toContain(node.pubkeyEd25519), 20_000);
    await node.listen(port);
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).toContain(node.pubkeyEd25519), 20_000);
    // Every store node left is in a swarm of at least the minimum size.
    for (const members of swarmsOf(await currentMap()).values()) expect(members.length).toBeGreaterThanOrEqual(2);
  });

  it('fails a node that answers Ping with a different key', async () => {
    const node = await startNode();
    await client.announce(node.announcement());
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).toContain(node.pubkeyEd25519), 10_000);
    node.pingKey = new TestNode().pubkeyEd25519;
    await eventually(async () => expect((await currentMap()).nodes.map((n) => n.pubkeyEd25519)).not.toContain(node.pubkeyEd25519), 20_000);
  });
});

describe.each(registryBackends())('heartbeat timeout on $name', ({ create }) => {
  it('forgets a node that stops sending heartbeats; it must announce again', async () => {
    const backend = create();
    const node = new TestNode();
    const reg = await backend.start({ REGISTRY_HEARTBEAT_TIMEOUT: '1500ms' });
    const client = registryClient(`127.0.0.1:${reg.grpcPort}`);
    try {
      await node.listen();
      await client.announce(node.announcement());
      const listed = async () => (await client.getNetworkMap({})).map!.nodes.map((n) => n.pubkeyEd25519);
      await eventually(async () => expect(await listed()).toContain(node.pubkeyEd25519), 10_000);
      await eventually(async () => expect(await listed()).not.toContain(node.pubkeyEd25519), 10_000);
      expect(await codeOf(client.heartbeat(node.heartbeat()))).toBe(grpc.status.NOT_FOUND);
      await client.announce(node.announcement());
      await eventually(async () => expect(await listed()).toContain(node.pubkeyEd25519), 10_000);
    } finally {
      client.close();
      node.stopServer();
      await backend.cleanup();
    }
  });
});
