// Runs a registry replica in-process on PGlite (in memory) and, when DATABASE_URL is set, on
// real PostgreSQL in a fresh schema that is dropped afterwards. Timings are short so that
// reachability and heartbeat timeouts happen within a test.
import { createLogger, openDatabase, uniqueName } from '@starling/platform';
import { loadRegistryConfig, type RegistryConfig } from '../../src/config';
import { startRegistry, type RunningRegistry } from '../../src/registry';

export const FAST_TIMINGS: Record<string, string> = {
  REGISTRY_HTTP_PORT: '0',
  REGISTRY_GRPC_PORT: '0',
  REGISTRY_OPS_PORT: '0',
  REGISTRY_SWARM_MIN_SIZE: '2',
  REGISTRY_SWARM_TARGET_SIZE: '3',
  REGISTRY_SWARM_MARGIN: '1',
  REGISTRY_EPOCH_INTERVAL: '100ms',
  REGISTRY_MAP_POLL_INTERVAL: '100ms',
  REGISTRY_LEADER_POLL_INTERVAL: '200ms',
  REGISTRY_HEARTBEAT_TIMEOUT: '60s',
  REGISTRY_TEST_INTERVAL: '200ms',
  REGISTRY_TEST_JITTER: '50ms',
  REGISTRY_TEST_BACKOFF: '100ms',
  REGISTRY_TEST_MAX_INTERVAL: '1s',
  REGISTRY_TEST_TIMEOUT: '500ms',
  REGISTRY_TEST_TICK: '50ms',
  REGISTRY_SHUTDOWN_GRACE: '500ms',
};

export interface RegistryBackend {
  name: string;
  /** Starts a replica; replicas started on one backend instance share its database. */
  start(env?: Record<string, string>): Promise<RunningRegistry>;
  /** Stops every replica still running and removes the database. */
  cleanup(): Promise<void>;
}

const quietLogger = createLogger('registry-test', { level: process.env.LOG_LEVEL ?? 'silent' });

export function registryBackends(): { name: string; create(): RegistryBackend }[] {
  const list = [{ name: 'pglite', create: () => backend('pglite', { REGISTRY_DATA_DIR: 'memory://' }) }];
  const url = process.env.DATABASE_URL;
  if (url) {
    list.push({
      name: 'pg',
      create: () => {
        const schema = uniqueName('registry');
        return backend('pg', { DATABASE_URL: url, REGISTRY_DATABASE_SCHEMA: schema }, async () => {
          const db = await openDatabase({ url });
          await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await db.close();
        });
      },
    });
  }
  return list;
}

function backend(name: string, base: Record<string, string>, drop?: () => Promise<void>): RegistryBackend {
  const running = new Set<RunningRegistry>();
  return {
    name,
    async start(env = {}) {
      const config: RegistryConfig = loadRegistryConfig({ ...FAST_TIMINGS, ...base, ...env });
      const r = await startRegistry(config, quietLogger);
      running.add(r);
      const close = r.close;
      r.close = async () => {
        running.delete(r);
        await close();
      };
      return r;
    },
    async cleanup() {
      await Promise.all([...running].map((r) => r.close()));
      await drop?.();
    },
  };
}
