// `npm start`: the whole network on this machine until Ctrl-C.
//   node test/dist/devnet/main.js [--nodes 6] [--relays 6] [--data-dir ./.data/devnet]
//        [--database-url postgres://...] [--redis-url redis://...] [--registry-replicas 1]
import { parseArgs } from 'util';
import { startDevnet, type Devnet } from './devnet';
import { edgeServices, type EdgeDirectory } from './edge-services';

const USAGE = `Starts a local Starling network: a registry, storage nodes in swarms, onion relays,
a file server, a community server with the room "lobby" and a push server.

Options:
  --nodes N               storage nodes (default 6 = two swarms of 3)
  --relays N              onion relays (default 6: with the storage nodes, 12 listed nodes, the
                          fewest with which Session desktop refreshes its pool from the network)
  --data-dir DIR          where databases, keys and logs live (default ./.data/devnet)
  --database-url URL      PostgreSQL instead of embedded PGlite (one schema per process)
  --redis-url URL         Redis for shared state instead of in-process
  --registry-replicas N   registry replicas (default 1; more need --database-url)
  --help                  this text`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

function table(devnet: Devnet): string {
  const rows = devnet.services.map((p) => [
    p.name,
    p.spec.role,
    p.httpUrl,
    p.grpcAddress ?? '',
    p.info.swarm ? (p.info.swarm.length > 12 ? `${p.info.swarm.slice(0, 12)}…` : p.info.swarm) : '',
    p.info.pubkey ? `${p.info.pubkey.slice(0, 12)}…` : '',
    String(p.pid ?? ''),
  ]);
  const header = ['name', 'role', 'public', 'grpc', 'swarm', 'ed25519', 'pid'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      relays: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'registry-replicas': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const started = Date.now();
  console.log('starting the local network…');
  const edge: EdgeDirectory = {};
  // A signal before the network is up ends this process, and its exit hook kills what has started.
  const stopStarting = () => process.exit(130);
  process.once('SIGINT', stopStarting);
  process.once('SIGTERM', stopStarting);
  const devnet = await startDevnet({
    extraServices: edgeServices({ relays: positiveInt(values.relays, '--relays', 6), push: true }, edge),
    storeNodes: positiveInt(values.nodes, '--nodes', 6),
    dataDir: values['data-dir'],
    databaseUrl: values['database-url'],
    redisUrl: values['redis-url'],
    registryReplicas: positiveInt(values['registry-replicas'], '--registry-replicas', 1),
    log: (line) => console.log(`  ${line}`),
  });
  process.off('SIGINT', stopStarting);
  process.off('SIGTERM', stopStarting);
  console.log(`\n${table(devnet)}\n`);
  console.log(`Seed URL: ${devnet.seedUrl}`);
  console.log(`Registry key: ${devnet.registryPubkey}`);
  if (edge.fileServer) console.log(`File server: ${edge.fileServer.url} (Ed25519 key ${edge.fileServer.pubkey}, as attachment links carry it; X25519 ${edge.fileServer.x25519})`);
  for (const url of edge.community?.joinUrls ?? []) console.log(`Community: ${url}`);
  if (edge.push) console.log(`Push server: ${edge.push.url} (Ed25519 key ${edge.push.pubkey}; X25519 ${edge.push.x25519})`);
  const clientEnv = [`STARLING_SEED=${devnet.seedUrl}`];
  if (edge.fileServer) clientEnv.push(`STARLING_FILE_SERVER=${edge.fileServer.url}`, `STARLING_FILE_SERVER_KEY=${edge.fileServer.pubkey}`);
  if (edge.push) clientEnv.push(`STARLING_PUSH_SERVER=${edge.push.url}`, `STARLING_PUSH_SERVER_KEY=${edge.push.pubkey}`);
  console.log(`\nPoint the starling command at this network:\n  export ${clientEnv.join(' ')}`);
  // Session desktop takes a private network's seed from this variable (with the trailing slash).
  console.log(`Point Session desktop at it (every listed node speaks HTTPS, as the apps require):\n  LOCAL_DEVNET_SEED_URL=${devnet.seedUrl}`);
  console.log(`Data and logs: ${devnet.dataDir}`);
  console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    devnet.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
