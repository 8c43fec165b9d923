// Operations: health, readiness, metrics, join URLs, the persistent server key, shutdown.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createLogger } from '@starling/platform';
import { createCommunityServer } from '../src/server';
import { forEachBackend } from './helpers';

forEachBackend('operations endpoints', (h) => {
  it('serves /healthz, /readyz and /metrics with domain metrics on the ops port only', async () => {
    expect((await h().ops('/healthz')).status).toBe(200);
    expect((await h().ops('/readyz')).status).toBe(200);
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await h().get(path)).status).toBe(404);
    const user = h().newUser();
    await h().postMessage(user);
    await h().get('/inbox', user, { signPath: '/wrong' });
    const text = (await h().ops('/metrics')).text;
    expect(text).toMatch(/^open_groups_messages_posted_total [1-9]/m);
    expect(text).toMatch(/^open_groups_rejections_total\{reason="auth_signature_failed"\} 1$/m);
    // Every other known reason is there from the start, at 0.
    expect(text).toMatch(/^open_groups_rejections_total\{reason="auth_banned"\} 0$/m);
    expect(text).toMatch(/^http_requests_total\{route="\/room\/<token:token>\/message",method="POST",status="201"\} 1$/m);
    expect(text).toContain('open_groups_active_users{room="test-room"');
    expect(text).toContain('open_groups_files_stored');
    // Raw paths (tokens, ids) never become labels.
    expect(text).not.toContain('route="/room/test-room');
  });

  it('answers JSON with the exact content type and unknown routes with 404', async () => {
    const res = await h().get('/capabilities');
    expect(res.headers['content-type']).toBe('application/json');
    expect((await h().get('/no/such/route')).status).toBe(404);
    expect((await h().request('PUT', '/capabilities', null, { json: {} })).status).toBe(405);
    // Any other method on a known path is 405 with Allow too (issue 16); an unknown path stays 404.
    const patch = await h().request('PATCH', '/capabilities');
    expect(patch.status).toBe(405);
    expect(patch.headers.allow).toBe('GET');
    expect(patch.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await h().request('PATCH', '/no/such/route')).status).toBe(404);
  });

  it('refuses bodies over the 10 MiB onion cap with 413', async () => {
    const res = await h().request('POST', '/room/test-room/file', h().newUser(), { body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('builds join URLs with the server public key', async () => {
    const urls = await h().server.joinUrls();
    expect(urls['test-room']).toBe(`${h().server.address}/test-room?public_key=${h().server.pubkey}`);
  });
});

describe('server key', () => {
  it('is generated once in the data folder and kept across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sogs-key-'));
    const logger = createLogger('test', { level: 'silent' });
    const first = await createCommunityServer({ dataDir, logger });
    const pubkey = first.pubkey;
    await first.close();
    const second = await createCommunityServer({ dataDir, logger, rooms: [] });
    expect(second.pubkey).toBe(pubkey);
    expect(Object.keys(await second.joinUrls())).toEqual(['lobby']); // the embedded database persisted too
    await second.close();
  }, 60_000);

  it('can come from configuration as hex', async () => {
    const logger = createLogger('test', { level: 'silent' });
    const a = await createCommunityServer({ serverKeyHex: '11'.repeat(32), logger });
    const b = await createCommunityServer({ serverKeyHex: '11'.repeat(32), logger });
    expect(a.pubkey).toBe(b.pubkey);
    await Promise.all([a.close(), b.close()]);
    await expect(createCommunityServer({ serverKeyHex: 'zz', logger })).rejects.toThrow('64 hex');
  }, 60_000);
});
