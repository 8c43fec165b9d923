// Settings from the environment (OPEN_GROUPS_*), validated once at start.
import { ConfigError, defineConfig, edgeConfig, lifecycleConfig, loadConfig, type ConfigValues } from '@starling/platform';
import { roomTokenProblem } from './rooms/room';
import { SESSION_ID_RE } from './users/user';

export const openGroupsConfigSpec = defineConfig({
  port: { type: 'port', env: 'OPEN_GROUPS_PORT', default: 8080, description: 'HTTP port to listen on (0 = any free port)' },
  host: { type: 'string', env: 'OPEN_GROUPS_HOST', default: '127.0.0.1', description: 'Address to listen on' },
  dataDir: { type: 'string', env: 'OPEN_GROUPS_DATA_DIR', description: 'Folder for the server key and the embedded database (PGlite)' },
  databaseUrl: { type: 'url', env: 'DATABASE_URL', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL URL; embedded PGlite when absent' },
  databaseSchema: { type: 'string', env: 'OPEN_GROUPS_DB_SCHEMA', pattern: /^[a-z_][a-z0-9_]{0,62}$/, description: 'PostgreSQL schema to use (created if missing)' },
  redisUrl: { type: 'url', env: 'REDIS_URL', protocols: ['redis', 'rediss'], secret: true, description: 'Redis for nonces shared by replicas; in-process when absent' },
  rooms: { type: 'string', env: 'OPEN_GROUPS_ROOMS', default: 'lobby', description: 'Comma-separated room tokens created at start when missing' },
  initialAdmins: {
    type: 'string',
    env: 'OPEN_GROUPS_INITIAL_ADMINS',
    description: 'Comma-separated session ids made global admins (hidden) once, at the first start that has this setting',
  },
  baseUrl: { type: 'string', env: 'OPEN_GROUPS_BASE_URL', description: 'Public base URL for join links (default http://host:port)' },
  serverKeyHex: { type: 'string', env: 'OPEN_GROUPS_SERVER_KEY', secret: true, description: 'X25519 private key as 64 hex (e.g. from a Kubernetes Secret); else key_x25519 in the data folder' },
  requireBlinding: { type: 'bool', env: 'OPEN_GROUPS_REQUIRE_BLINDING', default: true, description: 'Refuse unblinded (00) authentication' },
  fileExpiryDays: { type: 'int', env: 'OPEN_GROUPS_FILE_EXPIRY_DAYS', default: 15, min: 0, description: 'Lifetime of attachments in days (0 = never)' },
  maxFileBytes: { type: 'bytes', env: 'OPEN_GROUPS_MAX_FILE_SIZE', default: 10_000_000, min: 1, description: 'Largest room file upload' },
  dmExpiryDays: { type: 'int', env: 'OPEN_GROUPS_DM_EXPIRY_DAYS', default: 15, min: 1, description: 'Lifetime of blinded direct messages in days' },
  cleanupInterval: { type: 'duration', env: 'OPEN_GROUPS_CLEANUP_INTERVAL', default: 10_000, min: 100, description: 'How often expiry and scheduled changes run' },
  postRateLimit: { type: 'int', env: 'OPEN_GROUPS_POST_RATE_LIMIT', default: 5, min: 1, description: 'Posts one user may make in one room within the rate window (room admins are exempt)' },
  postRateWindow: { type: 'duration', env: 'OPEN_GROUPS_POST_RATE_WINDOW', default: 16_000, min: 1_000, description: 'The window of the post rate limit' },
  ...lifecycleConfig('OPEN_GROUPS'),
  ...edgeConfig('OPEN_GROUPS'),
});

export type OpenGroupsConfig = ConfigValues<typeof openGroupsConfigSpec>;

export function loadOpenGroupsConfig(env: Record<string, string | undefined> = process.env): OpenGroupsConfig {
  const config = loadConfig(openGroupsConfigSpec, env);
  // Lists are checked here, so that a bad entry stops the start with a clear message.
  const problems = roomTokens(config).flatMap((token) => {
    const problem = roomTokenProblem(token);
    return problem ? [`OPEN_GROUPS_ROOMS: ${problem}`] : [];
  });
  for (const id of initialAdmins(config)) {
    if (!SESSION_ID_RE.test(id)) problems.push(`OPEN_GROUPS_INITIAL_ADMINS: "${id}" is not a session id (66 hex digits starting 05, 15 or 25)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** The room tokens of `OPEN_GROUPS_ROOMS`. */
export function roomTokens(config: Pick<OpenGroupsConfig, 'rooms'>): string[] {
  return listSetting(config.rooms);
}

/** The session ids of `OPEN_GROUPS_INITIAL_ADMINS`. */
export function initialAdmins(config: Pick<OpenGroupsConfig, 'initialAdmins'>): string[] {
  return listSetting(config.initialAdmins ?? '').map((id) => id.toLowerCase());
}

function listSetting(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
