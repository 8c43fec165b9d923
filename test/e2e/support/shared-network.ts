// The local network that whole-network tests share within one Jest run (src/devnet/shared-network-main.ts):
// the first test that asks for it starts it, every later one finds it in the run's folder, and the
// run's global teardown stops it. A test that kills a process need not start it again: the next
// `sharedNetwork()` call does, before it hands the network over whole.
import { closeSync, existsSync, openSync, readFileSync } from 'fs';
import { spawn } from 'child_process';
import * as path from 'path';
import { eventually, request } from '@starling/platform';
import { MAX_RECONNECT_BACKOFF_MS, type registry } from '@starling/proto';
import { fetchNetworkMap, REPO_ROOT, type SharedNetworkDescriptor } from '../../src/devnet';
import { control, descriptorFile, SHARED_NETWORK_FOLDER } from './shared-network-control';

const HOLDER = path.join(REPO_ROOT, 'test', 'dist', 'devnet', 'shared-network-main.js');

export type SharedService = SharedNetworkDescriptor['services'][number];

export interface SharedNetwork extends SharedNetworkDescriptor {
  stores: SharedService[];
  relays: SharedService[];
  service(name: string): SharedService;
  /** The storage node or relay with this Ed25519 key. */
  node(pubkey: string): SharedService | undefined;
  networkMap(): Promise<registry.NetworkMap>;
  /** Signals a process (SIGKILL for a crash) and waits for it to exit. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
}

export async function sharedNetwork(): Promise<SharedNetwork> {
  const folder = process.env[SHARED_NETWORK_FOLDER];
  if (!folder) throw new Error(`${SHARED_NETWORK_FOLDER} is not set: run whole-network tests through test/jest.config.js`);
  if (!existsSync(descriptorFile(folder))) await startHolder(folder);
  const descriptor = JSON.parse(readFileSync(descriptorFile(folder), 'utf8')) as SharedNetworkDescriptor;
  const { restarted } = (await control(descriptor.controlUrl, 'heal')) as { restarted: string[] };
  const network: SharedNetwork = {
    ...descriptor,
    stores: descriptor.services.filter((s) => s.service === 'swarm-store'),
    relays: descriptor.services.filter((s) => s.service === 'entry-relay'),
    service: (name) => {
      const found = descriptor.services.find((s) => s.name === name);
      if (!found) throw new Error(`the shared network has no process named ${name}`);
      return found;
    },
    node: (pubkey) => descriptor.services.find((s) => s.pubkey === pubkey),
    networkMap: () => fetchNetworkMap(descriptor.registryGrpcAddress),
    kill: async (name, signal = 'SIGTERM') => {
      await control(descriptor.controlUrl, `kill/${name}?signal=${signal}`);
    },
  };
  // Every listed node back in the map (a healed one is listed again once the registry tests it),
  // and in the map every node follows: a hop whose map still lacks a healed node answers
  // "Next node not found" for it.
  const listed = [...network.stores, ...network.relays];
  await eventually(async () => expect((await network.networkMap()).nodes).toHaveLength(listed.length), 60_000);
  await eventually(async () => {
    for (const node of listed) {
      const answer = await request(new URL('storage_rpc/v1', node.httpUrl).href, { body: NODE_LIST_RPC });
      const missing = listed.filter((n) => !answer.text.includes(n.pubkey!));
      if (missing.length > 0) throw new Error(`${node.name} does not know ${missing.map((n) => n.name).join(', ')} yet`);
    }
  }, 60_000);
  // Peers' gRPC channels to a restarted process try it again within their max reconnect backoff
  // (plus its jitter); until then a swarm peer's copy of a store to it fails at once and
  // is delivered later from the retry queue, and a test reading there right away would miss it.
  if (restarted.length > 0) await new Promise((resolve) => setTimeout(resolve, 1.5 * MAX_RECONNECT_BACKOFF_MS));
  return network;
}

const NODE_LIST_RPC = JSON.stringify({ method: 'oxend_request', params: { endpoint: 'get_service_nodes', params: { fields: { pubkey_ed25519: true } } } });

async function startHolder(folder: string): Promise<void> {
  if (!existsSync(HOLDER)) throw new Error(`${HOLDER} does not exist: build the test project first (npx nx build @starling/network-tests)`);
  const logFile = path.join(folder, 'holder.log');
  const log = openSync(logFile, 'a');
  // Detached and unreferenced: the network belongs to the run, not to the test file that started it.
  const holder = spawn(process.execPath, [HOLDER, folder, String(process.pid)], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  let exited = false;
  holder.once('exit', () => (exited = true));
  holder.unref();
  const deadline = Date.now() + 300_000;
  while (!existsSync(descriptorFile(folder))) {
    if (exited || Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
      throw new Error(`the shared network did not start (${exited ? 'its holder exited' : 'timed out'}):\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
