// The network that whole-network tests share: started once per Jest run by the first test that
// asks for it (test/e2e/support/shared-network.ts), stopped by the run's global teardown, and gone
// with Jest if Jest dies. It is the `npm start` layout (6 storage nodes, 6 relays, a file server, a
// community server with "lobby", a push server) with fast registry timings. Tests reach it through
// <folder>/network.json (written once the network is up) and a loopback control port:
//   POST /heal           starts again every process a test killed, and waits until each is ready
//   POST /kill/<name>    ?signal=SIGKILL (default SIGTERM); answers once the process has exited
//   POST /stop           answers at once, then stops everything, drops the PostgreSQL schemas and
//                        removes the folder (Jest need not wait: its exit guard counts what it waits on)
//   node test/dist/devnet/shared-network-main.js <folder> <pid to outlive>
import { renameSync, rmSync, writeFileSync } from 'fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { uniqueName } from '@starling/platform';
import { startDevnet, type Devnet } from './devnet';
import { edgeServices, type EdgeDirectory } from './edge-services';
import { dropDevnetSchemas } from './schemas';

/** What network.json holds: what a test needs to know of the network and how to reach its control port. */
export interface SharedNetworkDescriptor {
  controlUrl: string;
  seedUrl: string;
  registryPubkey: string;
  registryGrpcAddress: string;
  dataDir: string;
  schemaPrefix: string;
  edge: EdgeDirectory;
  services: Array<{
    name: string;
    service: string;
    role: string;
    httpUrl: string;
    opsUrl: string;
    grpcAddress?: string;
    /** The node's Ed25519 key (listed nodes). */
    pubkey?: string;
    logFile: string;
    env: Record<string, string>;
  }>;
}

export const SHARED_LAYOUT = { storeNodes: 6, relays: 6 };

async function main(): Promise<void> {
  const [folder, outlive] = process.argv.slice(2);
  if (!folder || !outlive) throw new Error('usage: shared-network-main.js <folder> <pid to outlive>');
  const dataDir = path.join(folder, 'data');
  const schemaPrefix = uniqueName('shared');
  const databaseUrl = process.env.DATABASE_URL;
  const edge: EdgeDirectory = {};
  const devnet = await startDevnet({
    dataDir,
    storeNodes: SHARED_LAYOUT.storeNodes,
    fastTimings: true,
    databaseUrl,
    redisUrl: process.env.REDIS_URL,
    schemaPrefix,
    // Blobs as files, so that a test can look at exactly what the file server keeps.
    extraServices: edgeServices({ relays: SHARED_LAYOUT.relays, push: true, fileServerEnv: { FILE_SERVER_BLOB_STORE: 'folder' } }, edge),
  });
  await noteListedKeys(devnet);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await devnet.stop();
      await dropDevnetSchemas(databaseUrl, schemaPrefix);
      rmSync(folder, { recursive: true, force: true });
    })());

  const server = createServer((req, res) => {
    answer(devnet, req, stop).then(
      (body) => reply(res, 200, body),
      (err: Error) => reply(res, 500, { error: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const descriptor: SharedNetworkDescriptor = {
    controlUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seedUrl: devnet.seedUrl,
    registryPubkey: devnet.registryPubkey,
    registryGrpcAddress: devnet.registries[0]!.grpcAddress!,
    dataDir,
    schemaPrefix,
    edge,
    services: devnet.services.map((p) => ({
      name: p.name,
      service: p.spec.service,
      role: p.spec.role,
      httpUrl: p.httpUrl,
      opsUrl: p.opsUrl,
      grpcAddress: p.grpcAddress,
      pubkey: p.info.pubkey,
      logFile: p.logFile,
      env: p.spec.env,
    })),
  };
  // Written whole, then renamed: a test polling for the file never reads half of it.
  writeFileSync(path.join(folder, 'network.json.part'), JSON.stringify(descriptor, null, 2));
  renameSync(path.join(folder, 'network.json.part'), path.join(folder, 'network.json'));

  // Jest gone without its teardown (killed, crashed): nothing of this network may outlive it.
  const watch = setInterval(() => {
    try {
      process.kill(Number(outlive), 0);
    } catch {
      void stop().finally(() => process.exit(1));
    }
  }, 2_000);
  process.once('SIGTERM', () => void stop().finally(() => process.exit(0)));
  server.on('close', () => clearInterval(watch));
}

/** Relays announce themselves once ready: waits until every listed node is in the map, noting its key. */
async function noteListedKeys(devnet: Devnet): Promise<void> {
  const listed = devnet.services.filter((p) => p.spec.service === 'swarm-store' || p.spec.service === 'entry-relay');
  const deadline = Date.now() + 120_000;
  for (;;) {
    const map = await devnet.networkMap();
    const unlisted = listed.filter((p) => {
      const entry = map.nodes.find((n) => n.grpcAddress === p.grpcAddress);
      if (entry) p.info.pubkey = entry.pubkeyEd25519;
      return !entry;
    });
    if (unlisted.length === 0) return;
    if (Date.now() > deadline) throw new Error(`not in the network map: ${unlisted.map((p) => p.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function answer(devnet: Devnet, req: IncomingMessage, stop: () => Promise<void>): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://control');
  const [, action, name] = url.pathname.split('/');
  if (req.method === 'POST' && action === 'heal') {
    const healed = devnet.services.filter((p) => !p.running);
    for (const p of healed) await p.start();
    for (const p of healed) await p.waitReady();
    return { restarted: healed.map((p) => p.name) };
  }
  if (req.method === 'POST' && action === 'kill') {
    const target = devnet.services.find((p) => p.name === name);
    if (!target) throw new Error(`no process named ${name}`);
    return target.kill((url.searchParams.get('signal') ?? 'SIGTERM') as NodeJS.Signals);
  }
  if (req.method === 'POST' && action === 'stop') {
    setImmediate(() => void stop().finally(() => process.exit(0)));
    return { stopping: true };
  }
  throw new Error(`unknown control request ${req.method} ${url.pathname}`);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
