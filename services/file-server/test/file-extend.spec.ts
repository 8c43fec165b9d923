// POST /file/:id/extend as upstream: the expiry becomes now + TTL (X-FS-TTL clamped into the
// server's bounds, the maximum without the header), never earlier than it already was.
import { patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

const MIN = 60;
const MAX = 86_400;

describe.each(serverBackends())('POST /file/:id/extend on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { defaultTtlSeconds: 600, minTtlSeconds: MIN, maxTtlSeconds: MAX });
  });
  afterAll(() => h.stop());

  async function extend(id: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${h.server.url}/file/${id}/extend`, { method: 'POST', headers });
    return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as Record<string, number> };
  }

  it('extends to the maximum TTL without X-FS-TTL', async () => {
    const up = await upload(h.server, patternBytes(100, 1));
    const ext = await extend(up.json.id);
    expect(ext.status).toBe(200);
    expect(ext.contentType).toBe('application/json');
    expect(ext.json).toMatchObject({ id: up.json.id, size: 100, uploaded: up.json.uploaded });
    expect(ext.json.expires - Date.now() / 1000).toBeGreaterThan(MAX - 60);
    expect(ext.json.expires - Date.now() / 1000).toBeLessThanOrEqual(MAX + 1);
  });

  it('extends by the requested TTL and never shortens the lifetime', async () => {
    const up = await upload(h.server, patternBytes(100, 2));
    const longer = await extend(up.json.id, { 'X-FS-TTL': '3600' });
    expect(longer.json.expires - (up.json.uploaded as number)).toBeGreaterThan(3600 - 60);
    expect(longer.json.expires).toBeGreaterThan(up.json.expires as number);
    const shorter = await extend(up.json.id, { 'X-FS-TTL': '120' });
    expect(shorter.status).toBe(200);
    expect(shorter.json.expires).toBe(longer.json.expires);
    const info = (await (await fetch(`${h.server.url}/file/${up.json.id}/info`)).json()) as Record<string, number>;
    expect(info.expires).toBe(longer.json.expires);
  });

  it('clamps a TTL above the maximum to the maximum', async () => {
    const up = await upload(h.server, patternBytes(100, 3));
    const ext = await extend(up.json.id, { 'X-FS-TTL': String(MAX * 10) });
    expect(ext.status).toBe(200);
    expect(ext.json.expires - Date.now() / 1000).toBeLessThanOrEqual(MAX + 1);
    expect(ext.json.expires - Date.now() / 1000).toBeGreaterThan(MAX - 60);
  });

  it('refuses a TTL that is not a whole number with 400', async () => {
    const up = await upload(h.server, patternBytes(100, 4));
    for (const ttl of ['soon', '-5', '1.5', '']) {
      if (ttl === '') continue; // an empty header is the same as none for fetch
      const ext = await extend(up.json.id, { 'X-FS-TTL': ttl });
      expect([ttl, ext.status, ext.json]).toEqual([ttl, 400, { status_code: 400 }]);
    }
  });

  it('answers 404 for a file that does not exist', async () => {
    const ext = await extend('B'.repeat(44));
    expect(ext.status).toBe(404);
    expect(ext.json).toEqual({ status_code: 404 });
  });
});
