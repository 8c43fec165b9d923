// X-FS-TTL on upload: clamped into [min, max]; the default TTL without it; 400 when not a number.
import { fileRows, patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends())('upload TTL on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { defaultTtlSeconds: 3000, minTtlSeconds: 30, maxTtlSeconds: 5000 });
  });
  afterAll(() => h.stop());

  const lifetime = (json: Record<string, unknown>) => Math.round((json.expires as number) - (json.uploaded as number));

  it.each([
    [undefined, 3000],
    ['100', 100],
    ['1', 30],
    ['0', 30],
    ['999999', 5000],
  ])('X-FS-TTL %s gives a lifetime of %i s', async (ttl, expected) => {
    const up = await upload(h.server, patternBytes(50, expected + Number(ttl ?? 0)), ttl === undefined ? {} : { 'X-FS-TTL': ttl });
    expect(up.status).toBe(200);
    expect(lifetime(up.json)).toBe(expected);
  });

  it('refuses a malformed X-FS-TTL with 400 and stores nothing', async () => {
    const before = await fileRows(h.db);
    const up = await upload(h.server, patternBytes(50, 99), { 'X-FS-TTL': 'a week' });
    expect(up.status).toBe(400);
    expect(up.contentType).toBe('application/json');
    expect(up.json).toEqual({ status_code: 400 });
    expect(await fileRows(h.db)).toEqual(before);
  });

  it('stores identical bytes once: same id, first upload time kept, the later expiry wins', async () => {
    const bytes = patternBytes(700, 42);
    const first = await upload(h.server, bytes, { 'X-FS-TTL': '200' });
    const second = await upload(h.server, bytes, { 'X-FS-TTL': '4000' });
    const third = await upload(h.server, bytes, { 'X-FS-TTL': '100' });
    expect(second.json.id).toBe(first.json.id);
    expect(second.json.uploaded).toBe(first.json.uploaded);
    expect(lifetime(second.json)).toBeGreaterThanOrEqual(3999);
    expect(third.json.expires).toBe(second.json.expires);
    const rows = await h.db.query('SELECT id FROM files WHERE id = $1', [first.json.id]);
    expect(rows.rowCount).toBe(1);
  });
});
