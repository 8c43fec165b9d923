// A PushApi over a real database (PGlite; PostgreSQL too with DATABASE_URL) with the three real
// providers: UnifiedPush allowing loopback endpoints, and FCM/APNs configured with keys made here
// (their service_info checks need no network).
import { generateKeyPairSync } from 'crypto';
import type { Database, Reply, TestBackend } from '@starling/platform';
import { ApnsProvider } from '../../src/delivery/apns';
import { FcmProvider } from '../../src/delivery/fcm';
import type { PushProvider } from '../../src/delivery/provider';
import { UnifiedPushProvider } from '../../src/delivery/unifiedpush';
import { migratePush } from '../../src/subscriptions/migrations';
import { PushRoutes } from '../../src/http/push-routes';
import { PushApi } from '../../src/subscriptions/push-api';
import { SubscriptionStore } from '../../src/subscriptions/subscription-store';
import { jsonBody } from './subscriber';

export interface ApiHarness {
  db: Database;
  store: SubscriptionStore;
  api: PushApi;
  providers: Map<string, PushProvider>;
  /** Moves the API's clock. */
  clock: { nowMs: number };
  /** A request through the service's routes, as the edge and the onion endpoint send it. */
  request(method: string, path: string, body?: Buffer): Promise<Reply>;
  post(path: string, body: unknown): Promise<{ response: Reply; json: any }>;
  close(): Promise<void>;
}

export function testProviders(): Map<string, PushProvider> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const providers: PushProvider[] = [
    new UnifiedPushProvider({ allowPrivateAddresses: true, timeoutMs: 5000 }),
    new FcmProvider({
      account: { projectId: 'starling-test', clientEmail: 'push@starling-test.iam', privateKey: rsa, tokenUri: 'http://127.0.0.1:9/token' },
      endpoint: 'http://127.0.0.1:9',
      timeoutMs: 5000,
    }),
    new ApnsProvider({ keyPem: p256, keyId: 'KEYID12345', teamId: 'TEAMID1234', topic: 'org.starling.test', origin: 'https://127.0.0.1:9', timeoutMs: 5000 }),
  ];
  return new Map(providers.map((p) => [p.service, p]));
}

export async function openApi(backend: TestBackend<Database>): Promise<ApiHarness> {
  const db = await backend.open();
  await migratePush(db);
  const store = new SubscriptionStore(db);
  const providers = testProviders();
  const clock = { nowMs: Date.now() };
  const api = new PushApi({ store, providers, now: () => clock.nowMs });
  const routes = new PushRoutes(api);
  const request = (method: string, path: string, body = Buffer.alloc(0)) => routes.dispatch({ method, path, query: '', headers: {}, body });
  return {
    db,
    store,
    api,
    providers,
    clock,
    request,
    async post(path, body) {
      const response = await request('POST', path, typeof body === 'string' ? Buffer.from(body) : jsonBody(body));
      return { response, json: JSON.parse(Buffer.from(response.body).toString('utf8')) };
    },
    async close() {
      for (const p of providers.values()) await p.close();
      await db.close();
    },
  };
}
