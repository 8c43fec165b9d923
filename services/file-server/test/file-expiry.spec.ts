// A file is unreachable from the moment it expires, and the background job then deletes its row
// and its bytes (blob row or file in the folder).
import { eventually } from '@starling/platform';
import { blobFiles, blobRows, fileRows, patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends())('expiry on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { minTtlSeconds: 1, cleanupIntervalMs: 100 });
  });
  afterAll(() => h.stop());

  async function status(path: string, method = 'GET') {
    const res = await fetch(`${h.server.url}${path}`, { method });
    return { status: res.status, json: res.headers.get('content-type') === 'application/json' ? await res.json() : undefined };
  }

  it('removes an expired file everywhere while keeping a live one', async () => {
    const short = await upload(h.server, patternBytes(3000, 11), { 'X-FS-TTL': '1' });
    const long = await upload(h.server, patternBytes(3000, 12), { 'X-FS-TTL': '3600' });
    expect(short.status).toBe(200);
    const shortId = short.json.id as string;
    const longId = long.json.id as string;

    // Unreachable once expired (whether or not the job has run yet): download, info and extend.
    await eventually(async () => {
      expect(await status(`/file/${shortId}`)).toEqual({ status: 404, json: { status_code: 404 } });
    }, 10_000);
    expect(await status(`/file/${shortId}/info`)).toEqual({ status: 404, json: { status_code: 404 } });
    expect(await status(`/file/${shortId}/extend`, 'POST')).toEqual({ status: 404, json: { status_code: 404 } });

    // The job deletes the row and the bytes.
    await eventually(async () => {
      expect(await fileRows(h.db)).toEqual([{ id: longId }]);
    }, 10_000);
    if (backend.blobStore === 'db') expect(await blobRows(h.db)).toEqual([{ id: longId }]);
    else {
      expect(await blobRows(h.db)).toEqual([]);
      expect(await blobFiles(h.server.blobDir!)).toEqual([`${longId.slice(0, 2)}/${longId}`]);
    }
    expect((await status(`/file/${longId}`)).status).toBe(200);
  });

  it('counts what it deleted in the metrics', async () => {
    const text = await (await fetch(`${h.opsUrl}/metrics`)).text();
    expect(text).toMatch(/^file_server_expired_files_total [1-9]/m);
    expect(text).toMatch(/^file_server_stored_files 1$/m);
    expect(text).toMatch(/^file_server_stored_bytes 3000$/m);
  });

  it('an expired upload can be uploaded again and lives anew', async () => {
    const bytes = patternBytes(500, 13);
    const first = await upload(h.server, bytes, { 'X-FS-TTL': '1' });
    await eventually(async () => expect((await status(`/file/${first.json.id}`)).status).toBe(404), 10_000);
    const again = await upload(h.server, bytes, { 'X-FS-TTL': '3600' });
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.uploaded).toBeGreaterThan(first.json.uploaded as number);
    const res = await fetch(`${h.server.url}/file/${again.json.id}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
