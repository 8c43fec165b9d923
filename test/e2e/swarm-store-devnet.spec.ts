// Storage nodes under the real registry (devnet launcher): they announce, get swarms, pass the
// registry's reachability tests, and replicate within the swarms the registry formed.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ready } from '@starling/crypto';
import { eventually, request, uniqueName } from '@starling/platform';
import { dropDevnetSchemas, startDevnet, type Devnet } from '../src/devnet';
import { SessionAccount } from './support/session-account';

let devnet: Devnet;
const schemaPrefix = uniqueName('swarm_devnet');
const dataDir = mkdtempSync(path.join(tmpdir(), 'swarm-devnet-'));

beforeAll(async () => {
  await ready();
  devnet = await startDevnet({ dataDir, storeNodes: 3, fastTimings: true, databaseUrl: process.env.DATABASE_URL, schemaPrefix });
}, 180_000);
afterAll(async () => {
  await devnet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await dropDevnetSchemas(process.env.DATABASE_URL, schemaPrefix);
});

async function rpc(httpUrl: string, method: string, params: unknown): Promise<{ status: number; json: any }> {
  const res = await request(new URL('storage_rpc/v1', httpUrl).href, { method: 'POST', body: JSON.stringify({ method, params }) });
  return { status: res.status, json: res.headers['content-type'] === 'application/json' ? JSON.parse(res.text) : res.text };
}

it('every storage node is in the registry-signed map with a swarm', async () => {
  const map = await devnet.networkMap();
  for (const store of devnet.stores) {
    const entry = map.nodes.find((n) => n.pubkeyEd25519 === store.info.pubkey);
    expect(entry).toBeDefined();
    expect(entry!.swarmId).not.toBe('18446744073709551615');
  }
});

it('a store through one member of the account\'s swarm is retrievable from each member', async () => {
  const account = new SessionAccount();
  const anyNode = devnet.stores[0]!;
  const swarm = await eventually(async () => {
    const res = await rpc(anyNode.httpUrl, 'get_swarm', { pubkey: account.sessionId });
    expect(res.status).toBe(200);
    expect(res.json.snodes.length).toBeGreaterThan(0);
    return res.json.snodes as { ip: string; port_https: number; pubkey_ed25519: string }[];
  }, 30_000);
  const urls = swarm.map((s) => `https://${s.ip}:${s.port_https}/`);
  const stored = await rpc(urls[0]!, 'store', account.store('through the devnet'));
  expect(stored.status).toBe(200);
  expect(Object.keys(stored.json.swarm).sort()).toEqual(swarm.map((s) => s.pubkey_ed25519).sort());
  for (const url of urls) {
    const read = await rpc(url, 'retrieve', account.retrieve());
    expect(read.json.messages.map((m: { hash: string }) => m.hash)).toEqual([stored.json.hash]);
  }
});
