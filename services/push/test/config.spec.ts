// PUSH_* settings: defaults, providers from operator Secrets (inline or mounted files), and the
// configurations that are refused with a message naming the variable.
import { generateKeyPairSync } from 'crypto';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ConfigError } from '@starling/platform';
import { pushConfigFromEnv as fromEnv, PushConfigError } from '../src/config';
import { createProviders } from '../src/delivery/providers';

const dir = mkdtempSync(path.join(tmpdir(), 'starling-push-config-'));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const p8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const account = JSON.stringify({ type: 'service_account', project_id: 'p1', client_email: 'push@p1.iam', private_key: rsa, private_key_id: 'k1' });
/** Every push service follows a registry's network map. */
const pushConfigFromEnv = (env: Record<string, string | undefined>) => fromEnv({ REGISTRY_GRPC_ADDRESS: '127.0.0.1:1', ...env });
const apns = { PUSH_APNS_KEY: p8, PUSH_APNS_KEY_ID: 'ABC123DEFG', PUSH_APNS_TEAM_ID: 'TEAM123456', PUSH_APNS_TOPIC: 'org.starling.app' };

describe('push configuration', () => {
  it('offers UnifiedPush alone by default, refusing private endpoints', async () => {
    const config = pushConfigFromEnv({});
    expect(config.unifiedPush).toEqual({ allowPrivateAddresses: false });
    expect(config.fcm).toBeUndefined();
    expect(config.apns).toBeUndefined();
    expect(config.delivery).toEqual({ concurrency: 64, maxQueued: 100_000, maxAttempts: 5, baseBackoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 10_000 });
    const providers = createProviders(config);
    expect([...providers.keys()]).toEqual(['unifiedpush']);
    for (const p of providers.values()) await p.close();
  });

  it('reads FCM from a mounted service account file and APNs from inline Secrets', async () => {
    const file = path.join(dir, 'fcm.json');
    writeFileSync(file, account);
    const config = pushConfigFromEnv({ PUSH_FCM_SERVICE_ACCOUNT_FILE: file, ...apns, PUSH_APNS_ORIGIN: 'https://api.sandbox.push.apple.com' });
    expect(config.fcm!.account).toMatchObject({ projectId: 'p1', clientEmail: 'push@p1.iam', privateKeyId: 'k1', tokenUri: 'https://oauth2.googleapis.com/token' });
    expect(config.apns).toMatchObject({ keyId: 'ABC123DEFG', teamId: 'TEAM123456', topic: 'org.starling.app', origin: 'https://api.sandbox.push.apple.com' });
    const providers = createProviders(config);
    expect([...providers.keys()].sort()).toEqual(['apns', 'firebase', 'unifiedpush']);
    for (const p of providers.values()) await p.close();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['half an APNs setup', { PUSH_APNS_KEY: p8, PUSH_APNS_KEY_ID: 'ABC123DEFG' }, /APNs needs PUSH_APNS_KEY/],
    ['a secret given twice', { PUSH_FCM_SERVICE_ACCOUNT: account, PUSH_FCM_SERVICE_ACCOUNT_FILE: '/x' }, /not both/],
    ['a missing key file', { PUSH_APNS_KEY_FILE: '/nonexistent/key.p8', ...{ ...apns, PUSH_APNS_KEY: undefined as never } }, /PUSH_APNS_KEY_FILE: cannot read/],
    ['a service account without its key', { PUSH_FCM_SERVICE_ACCOUNT: '{"project_id":"p","client_email":"e"}' }, /"private_key" is missing/],
    ['no service at all', { PUSH_UNIFIEDPUSH: 'false' }, /no delivery service/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => pushConfigFromEnv(env)).toThrow(PushConfigError);
    expect(() => pushConfigFromEnv(env)).toThrow(message);
  });

  it('reports malformed variables together, without echoing secrets', () => {
    let error: unknown;
    try {
      pushConfigFromEnv({ PUSH_APNS_KEY_ID: 'short', PUSH_DELIVERY_CONCURRENCY: '0', REDIS_URL: 'http://secret@host' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(3);
    expect((error as Error).message).not.toContain('secret@host');
  });

  it('needs the registry and reads the lifecycle settings with the PUSH_ prefix', () => {
    expect(() => fromEnv({})).toThrow(/REGISTRY_GRPC_ADDRESS/);
    const config = pushConfigFromEnv({ PUSH_OPS_PORT: '9411', PUSH_DRAIN_DELAY: '2s', PUSH_KEY: 'ab'.repeat(32) });
    expect(config).toMatchObject({ registryAddress: '127.0.0.1:1', opsPort: 9411, drainDelay: 2000, shutdownGrace: 5000, keyHex: 'ab'.repeat(32), rescanIntervalMs: 60_000 });
  });
});
