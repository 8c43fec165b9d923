// The built services, as an operator runs them: `--help` lists the settings and exits 0, and a
// misspelled variable under the service's prefix stops it at start with one line that names the
// setting meant (exit 2) instead of silently running on the default.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Exit code of a process whose configuration is wrong (CONFIG_ERROR_EXIT in libs/platform). */
const CONFIG_ERROR_EXIT = 2;

function run(service: string, args: string[], env: Record<string, string> = {}) {
  const main = path.join(REPO_ROOT, 'services', service, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build the services first (npx nx run-many -t build)`);
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
}

describe('service configuration at start', () => {
  it.each([
    ['registry', 'REGISTRY_SWARM_MINSIZE', 'REGISTRY_SWARM_MIN_SIZE'],
    // The other services' spelling: before, the registry ignored it and migrated into `public`.
    ['registry', 'REGISTRY_DB_SCHEMA', 'REGISTRY_DATABASE_SCHEMA'],
    ['swarm-store', 'SWARM_STORE_MAX_STORAG', 'SWARM_STORE_MAX_STORAGE'],
    // A shared setting written under the node's prefix is found without the prefix.
    ['swarm-store', 'SWARM_STORE_REGISTRY_PUBKEY', 'REGISTRY_PUBKEY'],
    ['entry-relay', 'ENTRY_RELAY_HOP_TIMOUT', 'ENTRY_RELAY_HOP_TIMEOUT'],
    ['file-server', 'FILE_SERVER_MAX_BYTE', 'FILE_SERVER_MAX_BYTES'],
  ])('%s refuses %s in one line naming %s', (service, typo, meant) => {
    const r = run(service, [], { [typo]: '1', REGISTRY_GRPC_ADDRESS: '127.0.0.1:1' });
    expect(r.status).toBe(CONFIG_ERROR_EXIT);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${typo} is not a setting of this service (did you mean ${meant}?)`);
  });

  it('the registry ignores the nodes\' REGISTRY_ settings and Kubernetes service links in a shared environment', () => {
    const r = run('registry', [], {
      REGISTRY_GRPC_ADDRESS: '127.0.0.1:1',
      REGISTRY_PUBKEY: 'ab'.repeat(32),
      REGISTRY_SERVICE_HOST: '10.0.0.7',
      REGISTRY_PORT: 'tcp://10.0.0.7:22029',
      REGISTRY_PORT_22029_TCP_ADDR: '10.0.0.7',
      // A bad value makes the registry stop right after reading its settings, before it starts anything.
      REGISTRY_SWARM_MARGIN: '-1',
    });
    expect(r.status).toBe(CONFIG_ERROR_EXIT);
    expect(r.stderr.trim()).toBe('registry: Invalid configuration: REGISTRY_SWARM_MARGIN="-1": below the minimum 0 (expected an integer in [0, ∞])');
  });

  it.each(['registry', 'swarm-store', 'entry-relay', 'file-server', 'open-groups'])('%s --help lists its settings, one per line, and exits 0', (service) => {
    const r = run(service, ['--help'], { [`${service.toUpperCase().replace(/-/g, '_')}_NOT_A_SETTING`]: '1' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*: .+ — .+/);
  });
});
