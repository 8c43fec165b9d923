// Settings from the environment: defaults as documented, every problem reported, TTL bounds
// checked against each other.
import { ConfigError } from '@starling/platform';
import { checkFileServerConfig, fileServerConfigFromEnv, FileServerConfigError } from '../src/config';

describe('file server configuration', () => {
  it('has upstream-like defaults', () => {
    const c = fileServerConfigFromEnv({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      blobStore: 'folder',
      maxBytes: 10_223_616,
      defaultTtlSeconds: 14 * 86_400,
      minTtlSeconds: 30,
      maxTtlSeconds: 14 * 86_400,
      cleanupIntervalMs: 15_000,
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.x25519SecretKeyHex).toBeUndefined();
  });

  it('keeps blobs in PostgreSQL by default when there is one', () => {
    expect(fileServerConfigFromEnv({ DATABASE_URL: 'postgres://db/files' }).blobStore).toBe('db');
    expect(fileServerConfigFromEnv({ DATABASE_URL: 'postgres://db/files', FILE_SERVER_BLOB_STORE: 'folder' }).blobStore).toBe('folder');
  });

  it('reads every variable', () => {
    const c = fileServerConfigFromEnv({
      FILE_SERVER_HOST: '0.0.0.0',
      FILE_SERVER_PORT: '9000',
      FILE_SERVER_DATA_DIR: '/tmp/fs-data',
      DATABASE_URL: 'postgres://u@db:5432/files',
      FILE_SERVER_BLOB_STORE: 'folder',
      FILE_SERVER_BLOB_DIR: '/mnt/blobs',
      FILE_SERVER_MAX_BYTES: '5MB',
      FILE_SERVER_DEFAULT_TTL: '7d',
      FILE_SERVER_MIN_TTL: '1m',
      FILE_SERVER_MAX_TTL: '21d',
      FILE_SERVER_CLEANUP_INTERVAL: '30s',
      FILE_SERVER_X25519_KEY: 'ab'.repeat(32),
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/tmp/fs-data',
      databaseUrl: 'postgres://u@db:5432/files',
      blobStore: 'folder',
      blobDir: '/mnt/blobs',
      maxBytes: 5_000_000,
      defaultTtlSeconds: 7 * 86_400,
      minTtlSeconds: 60,
      maxTtlSeconds: 21 * 86_400,
      cleanupIntervalMs: 30_000,
      x25519SecretKeyHex: 'ab'.repeat(32),
    });
  });

  it('reports all bad variables at once, without echoing the key', () => {
    let error: unknown;
    try {
      fileServerConfigFromEnv({ FILE_SERVER_BLOB_STORE: 's3', FILE_SERVER_PORT: 'http', FILE_SERVER_X25519_KEY: 'secret-ish' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(3);
    expect((error as Error).message).not.toContain('secret-ish');
  });

  it('refuses TTL bounds that contradict each other', () => {
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_MIN_TTL: '2d', FILE_SERVER_MAX_TTL: '1d', FILE_SERVER_DEFAULT_TTL: '1d' })).toThrow(FileServerConfigError);
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_DEFAULT_TTL: '30d' })).toThrow(/default TTL/);
    const ok = fileServerConfigFromEnv({});
    expect(() => checkFileServerConfig({ ...ok, minTtlSeconds: 0 })).toThrow(/at least 1/);
  });
});
