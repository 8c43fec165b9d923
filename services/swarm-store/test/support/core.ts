// A storage node without its network face (StorageNodeModule) on a fresh database per test file:
// PGlite always, PostgreSQL when DATABASE_URL is set (a unique schema, dropped afterwards).
import { soloView, type SwarmView } from '@starling/membership';
import { createLogger, startService, stringifyJson, type Database, type TestBackend } from '@starling/platform';
import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { loadSwarmStoreConfig, type SwarmStoreConfig } from '../../src/config';
import { NodeIdentity } from '../../src/identity/node-identity';
import type { NodeMetrics } from '../../src/node-metrics';
import { PushReceiver } from '../../src/replication/push-receiver';
import { RpcDispatcher } from '../../src/rpc/dispatcher';
import type { RpcContext, RpcResult } from '../../src/rpc/method';
import { GroupCommitWriter } from '../../src/storage/group-commit';
import { MessageStore } from '../../src/storage/message-store';
import { RevocationStore } from '../../src/storage/revocation-store';
import { StorageJobs } from '../../src/storage/storage-jobs';
import { StorageNodeModule } from '../../src/storage-node.module';
import { SwarmChangeReactor } from '../../src/swarm-membership/swarm-changes';
import { SwarmViews } from '../../src/swarm-membership/swarm-views';
import { MIGRATIONS_DIR } from '../../src/swarm-store';
import { NODE_METRICS } from '../../src/tokens';

export const silentLogger = createLogger('swarm-store-test', { level: 'silent' });

/** The parts of a running storage node that tests look at. */
export interface NodeParts {
  identity: NodeIdentity;
  store: MessageStore;
  revocations: RevocationStore;
  writer: GroupCommitWriter;
  dispatcher: RpcDispatcher;
  pushReceiver: PushReceiver;
  metrics: NodeMetrics;
  jobs: StorageJobs;
  currentView(): SwarmView;
  setView(view: SwarmView): Promise<void>;
}

export function nodeParts(app: INestApplicationContext): NodeParts {
  const get = <T>(token: unknown) => app.get<T>(token as string, { strict: false });
  const views = get<SwarmViews>(SwarmViews);
  const reactor = get<SwarmChangeReactor>(SwarmChangeReactor);
  return {
    identity: get(NodeIdentity),
    store: get(MessageStore),
    revocations: get(RevocationStore),
    writer: get(GroupCommitWriter),
    dispatcher: get(RpcDispatcher),
    pushReceiver: get(PushReceiver),
    metrics: get(NODE_METRICS),
    jobs: get(StorageJobs),
    currentView: () => views.current,
    setView: (view) => reactor.apply(view),
  };
}

export interface CoreHandle {
  core: NodeParts;
  db: Database;
  /** Runs one {method, params} request as a client over /storage_rpc/v1 would. */
  rpc(method: string, params: unknown, ctx?: Partial<RpcContext>): Promise<RpcResult & { json: Record<string, any> }>;
  close(): Promise<void>;
}

/** Configuration for a test node: the defaults, changed by `settings`. */
export function testConfig(settings: Partial<SwarmStoreConfig> = {}): SwarmStoreConfig {
  return { ...loadSwarmStoreConfig({}), ...settings };
}

export async function openCore(
  backend: TestBackend<Database>,
  opts: { settings?: Partial<SwarmStoreConfig>; view?: (identity: NodeIdentity) => SwarmView; nodeSeed?: Uint8Array } = {},
): Promise<CoreHandle> {
  const db = await backend.open();
  const service = await startService(
    { name: 'swarm-store', logger: silentLogger, database: { use: db, migrations: MIGRATIONS_DIR } },
    StorageNodeModule.forConfig(testConfig(opts.settings), opts.nodeSeed ?? randomBytes(32)),
  );
  const core = nodeParts(service.app);
  await core.setView(opts.view?.(core.identity) ?? soloView(core.identity, { grpcAddress: '', publicIp: '127.0.0.1', publicPort: 0 }));
  return {
    core,
    db,
    async rpc(method, params, ctx = {}) {
      const result = await core.dispatcher.handleRequest({ method, params }, { nowMs: Date.now(), forwarded: false, ...ctx });
      // The body as a client reads it: written out as JSON text, then parsed.
      return { ...result, json: typeof result.body === 'string' ? {} : JSON.parse(stringifyJson(result.body)) };
    },
    async close() {
      await service.close();
      await db.close();
    },
  };
}
