// A whole storage node (HTTP + gRPC servers) started in this process on free ports: PGlite in a
// temporary folder, or PostgreSQL in a unique schema when DATABASE_URL is set; Redis for the
// shared state when REDIS_URL is set.
import { openDatabase, request, uniqueName } from '@starling/platform';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadSwarmStoreConfig } from '../../src/config';
import { startSwarmStoreNode, type RunningNode } from '../../src/swarm-store';
import { silentLogger } from './core';

export interface HttpNode extends RunningNode {
  url: string;
  /** Where /healthz, /readyz and /metrics answer. */
  opsUrl: string;
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; contentType: string | null; text: string }>;
  rpc(method: string, params: unknown): Promise<{ status: number; json: any; text: string }>;
  close(): Promise<void>;
}

export async function startHttpNode(env: Record<string, string> = {}): Promise<HttpNode> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'swarm-store-test-'));
  const schema = process.env.DATABASE_URL ? uniqueName('swarm_store_test') : undefined;
  const config = loadSwarmStoreConfig({
    SWARM_STORE_HTTP_PORT: '0',
    SWARM_STORE_GRPC_PORT: '0',
    SWARM_STORE_OPS_PORT: '0',
    SWARM_STORE_DATA_DIR: dataDir,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, SWARM_STORE_DB_SCHEMA: schema! } : {}),
    // The rate limit then runs on Redis (keys under the node's own prefix).
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  const node = await startSwarmStoreNode(config, silentLogger);
  const url = `https://127.0.0.1:${node.httpPort}`;
  const post: HttpNode['post'] = async (p, body, headers = {}) => {
    const res = await request(url + p, { method: 'POST', body, headers });
    return { status: res.status, contentType: (res.headers['content-type'] as string | undefined) ?? null, text: res.text };
  };
  return {
    ...node,
    url,
    opsUrl: `http://127.0.0.1:${node.opsPort}`,
    post,
    async rpc(method, params) {
      const res = await post('/storage_rpc/v1', JSON.stringify({ method, params }));
      let json: any;
      try {
        json = JSON.parse(res.text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text: res.text };
    },
    async close() {
      await node.stop();
      if (schema) {
        const db = await openDatabase({ url: process.env.DATABASE_URL });
        await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
