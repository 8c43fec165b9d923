// A storage core on a fresh database per test file: PGlite always, PostgreSQL when DATABASE_URL
// is set (a unique schema, dropped afterwards).
import { createLogger, type Database, stringifyJson, type TestBackend } from '@starling/platform';
import { randomBytes } from 'crypto';
import { NodeIdentity } from '../../src/identity/node-identity';
import type { RpcContext, RpcResult } from '../../src/rpc/method';
import { StorageCore, type CoreSettings } from '../../src/storage-core';
import type { SwarmView } from '../../src/swarm-membership/swarm-view';

export const silentLogger = createLogger('swarm-store-test', { level: 'silent' });

export interface CoreHandle {
  core: StorageCore;
  db: Database;
  /** Runs one {method, params} request as a client over /storage_rpc/v1 would. */
  rpc(method: string, params: unknown, ctx?: Partial<RpcContext>): Promise<RpcResult & { json: Record<string, any> }>;
  close(): Promise<void>;
}

export async function openCore(
  backend: TestBackend<Database>,
  opts: { settings?: Partial<CoreSettings>; identity?: NodeIdentity; view?: (identity: NodeIdentity) => SwarmView } = {},
): Promise<CoreHandle> {
  const db = await backend.open();
  const identity = opts.identity ?? new NodeIdentity(randomBytes(32));
  const core = await StorageCore.open({ db, identity, logger: silentLogger, settings: opts.settings, view: opts.view?.(identity) });
  return {
    core,
    db,
    async rpc(method, params, ctx = {}) {
      const result = await core.dispatcher.handleRequest({ method, params }, { nowMs: Date.now(), forwarded: false, ...ctx });
      // The body as a client reads it: written out as JSON text, then parsed.
      return { ...result, json: typeof result.body === 'string' ? {} : JSON.parse(stringifyJson(result.body)) };
    },
    async close() {
      await core.close();
      await db.close();
    },
  };
}
