// A throw-away local network for the registry's whole-network tests: a temp data folder, fast
// timings, PostgreSQL when DATABASE_URL is set (a unique schema prefix, dropped afterwards).
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { uniqueName } from '@starling/platform';
import { dropDevnetSchemas, startDevnet, type Devnet, type DevnetOptions } from '../../src/devnet';

export interface RegistryTestNetwork {
  devnet: Devnet;
  stop(): Promise<void>;
}

export async function startRegistryTestNetwork(options: DevnetOptions = {}): Promise<RegistryTestNetwork> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'registry-e2e-'));
  const databaseUrl = process.env.DATABASE_URL;
  const schemaPrefix = uniqueName('reg_e2e');
  const devnet = await startDevnet({ dataDir, databaseUrl, schemaPrefix, fastTimings: true, ...options });
  return {
    devnet,
    async stop() {
      await devnet.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await dropDevnetSchemas(databaseUrl, schemaPrefix);
    },
  };
}

/** POSTs one JSON-RPC request to the seed API; returns status, exact content type and body. */
export async function seedCall(seedUrl: string, method: string, params: unknown = {}): Promise<{ status: number; contentType: string | null; body: any }> {
  const res = await fetch(new URL('json_rpc', seedUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), body: await res.json() };
}

/** The value of one Prometheus sample (labels matched as a substring of the label set), read from a service's ops port. */
export async function metricValue(opsUrl: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(new URL('metrics', opsUrl))).text();
  // `name{labels} value`, or `name value` for a series without labels.
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}
