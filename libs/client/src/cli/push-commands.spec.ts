// `starling push subscribe / status / open / unsubscribe` against a push server in memory: the
// signed requests the server accepts, the notice key kept across renewals and used to read a
// delivered notice, refusals in one line, and what is printed.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { encodePushNotice, encryptPushNotice, ready } from '@starling/crypto';
import { MemoryPushServer } from '../../test/support/memory-push-server';
import { starling } from '../../test/support/run-cli';

const KEY = 'ef'.repeat(32);
const SERVER = ['--push-server', 'http://127.0.0.1:8500', '--push-server-key', KEY];

beforeAll(ready);

describe('starling push', () => {
  let root: string;
  let push: MemoryPushServer;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-cli-push-'));
    push = new MemoryPushServer();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  // The push commands reach only the push server: no swarm is given, so any swarm request would fail.
  const run = (...argv: string[]) => starling(['--home', join(root, 'home'), '--seed-url', 'http://seed.invalid', ...argv], { servers: push });

  async function withAccount(): Promise<string> {
    const { code, out } = await run('init', '--json');
    expect(code).toBe(0);
    return JSON.parse(out).session_id;
  }

  it('says what to pass when no push server is configured, before anything is sent', async () => {
    await withAccount();
    const { code, err } = await run('push', 'subscribe', '--unifiedpush', 'https://up.example/abc');
    expect(code).toBe(2);
    expect(err).toMatch(/no push server configured: pass --push-server <url> and --push-server-key <hex>.*STARLING_PUSH_SERVER/);
    expect(push.requests).toEqual([]);
  });

  it('subscribes with a signed request, renews with the same notice key, and reads a delivered notice with it', async () => {
    const me = await withAccount();
    const first = await run(...SERVER, 'push', 'subscribe', '--unifiedpush', 'https://up.example/abc', '--json');
    expect(first.code).toBe(0);
    const status = JSON.parse(first.out);
    expect(status).toMatchObject({ state: 'subscribed', server: 'http://127.0.0.1:8500', service: 'unifiedpush', target: 'https://up.example/abc', namespaces: '0', data: 'yes' });
    expect(push.requests[0]!.server).toEqual({ host: '127.0.0.1', port: 8500, protocol: 'http', x25519: KEY });
    const [stored] = push.subscriptions.values();
    expect(stored).toMatchObject({ account: me, namespaces: [0], data: true, serviceInfo: { endpoint: 'https://up.example/abc' }, encKey: status.enc_key });

    // Renewing needs no server options: they were remembered.
    const again = await run('push', 'subscribe', '--unifiedpush', 'https://up.example/abc', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ state: 'renewed', enc_key: status.enc_key });
    expect(push.subscriptions.size).toBe(1);

    const plaintext = encodePushNotice({ account: me, hash: 'h'.repeat(43), namespace: 0, timestampMs: 1, expiryMs: 2 }, Buffer.from('sealed message'));
    const body = join(root, 'notice.json');
    writeFileSync(body, JSON.stringify({ enc_payload: Buffer.from(encryptPushNotice(plaintext, Buffer.from(status.enc_key, 'hex'))).toString('base64'), spns: 1 }));
    const opened = await run('push', 'open', body);
    expect(JSON.parse(opened.out)).toEqual({ account: me, hash: 'h'.repeat(43), namespace: 0, timestamp_ms: 1, expiry_ms: 2, data: Buffer.from('sealed message').toString('base64'), data_too_long: false });

    const human = await run('push', 'status');
    expect(human.out).toMatch(/^State\s+subscribed$/m);
    expect(human.out).toMatch(/^Delivered to\s+https:\/\/up\.example\/abc$/m);
  });

  it('unsubscribes with a signed request and forgets the subscription', async () => {
    await withAccount();
    await run(...SERVER, 'push', 'subscribe', '--unifiedpush', 'https://up.example/abc', '--namespaces', '-10,0', '--no-data');
    expect([...push.subscriptions.values()][0]).toMatchObject({ namespaces: [-10, 0], data: false });
    expect(await run('push', 'unsubscribe')).toEqual({ code: 0, out: 'Unsubscribed: https://up.example/abc\n', err: '' });
    expect(push.subscriptions.size).toBe(0);
    expect(await run('push', 'status', '--json')).toEqual({ code: 0, out: '{"subscribed":false}\n', err: '' });
    expect((await run('push', 'unsubscribe')).err).toMatch(/no push subscription/);
  });

  it('refuses bad namespaces before sending, and reports a server refusal in one line', async () => {
    await withAccount();
    expect((await run(...SERVER, 'push', 'subscribe', '--unifiedpush', 'https://up.example/abc', '--namespaces', '5,1')).err).toMatch(/ascending/);
    expect(push.requests).toEqual([]);
    push.refuseWith = { error: 2, message: 'unifiedpush notification service not currently available' };
    const refused = await run(...SERVER, 'push', 'subscribe', '--unifiedpush', 'https://up.example/abc');
    expect(refused).toEqual({ code: 5, out: '', err: 'starling: the push server refused /subscribe (service not available): unifiedpush notification service not currently available\n' });
    expect((await run('push', 'status')).out).toMatch(/^Not subscribed/);
  });
});
