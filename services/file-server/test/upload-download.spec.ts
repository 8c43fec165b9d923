import { blobFiles, patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';
import { fileIdOf } from '../src/files/file-id';

describe.each(serverBackends())('upload and download on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  it.each([1, 541, 5 * 1024 * 1024, 10_000_000])('round-trips %i bytes byte for byte', async (size) => {
    const bytes = patternBytes(size, size);
    const before = Date.now() / 1000;
    const up = await upload(h.server, bytes);
    expect(up.status).toBe(200);
    expect(up.contentType).toBe('application/json');
    expect(Object.keys(up.json).sort()).toEqual(['expires', 'id', 'uploaded']);
    expect(up.json.id).toBe(await fileIdOf(bytes));
    const uploaded = up.json.uploaded as number;
    const expires = up.json.expires as number;
    expect(uploaded).toBeGreaterThan(before - 5);
    expect(expires - uploaded).toBeCloseTo(3600, 0);

    const res = await fetch(`${h.server.url}/file/${up.json.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(Date.parse(res.headers.get('expires')!)).toBe(Math.floor(expires) * 1000);
    const got = Buffer.from(await res.arrayBuffer());
    expect(got.length).toBe(size);
    expect(got.equals(bytes)).toBe(true);
  });

  it('refuses an empty upload with 413 as upstream, storing nothing', async () => {
    const rowsBefore = await h.db.query('SELECT id FROM files');
    const up = await upload(h.server, new Uint8Array(0));
    expect(up.status).toBe(413);
    expect(up.contentType).toBe('application/json');
    expect(up.json).toEqual({ status_code: 413 });
    expect((await h.db.query('SELECT id FROM files')).rowCount).toBe(rowsBefore.rowCount);
    if (h.server.blobDir) expect((await blobFiles(h.server.blobDir)).filter((f) => f.startsWith('.uploads'))).toEqual([]);
  });

  it('accepts any content type, JSON included, as raw bytes', async () => {
    const body = Buffer.from('{"not":"parsed"}');
    const up = await upload(h.server, body, { 'content-type': 'application/json' });
    expect(up.status).toBe(200);
    const res = await fetch(`${h.server.url}/file/${up.json.id}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });
});
