// Several clients uploading the same bytes at once end with one row and one intact copy; the
// expiry job running alongside never takes a live file's bytes.
import { blobFiles, blobRows, fileRows, patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends())('concurrent uploads on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { minTtlSeconds: 1, cleanupIntervalMs: 20 });
  });
  afterAll(() => h.stop());

  it('identical bytes uploaded in parallel are stored once and stay readable', async () => {
    const bytes = patternBytes(200_000, 21);
    const results = await Promise.all(Array.from({ length: 6 }, () => upload(h.server, bytes)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const ids = new Set(results.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as string[];
    expect(await fileRows(h.db)).toEqual([{ id }]);
    if (backend.blobStore === 'db') expect(await blobRows(h.db)).toEqual([{ id }]);
    else expect(await blobFiles(h.server.blobDir!)).toEqual([`${id!.slice(0, 2)}/${id}`]);
    const got = Buffer.from(await (await fetch(`${h.server.url}/file/${id}`)).arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
  });

  it('re-uploading an expiring file while the expiry job runs keeps it whole', async () => {
    const bytes = patternBytes(50_000, 22);
    for (let round = 0; round < 5; round++) await upload(h.server, bytes, { 'X-FS-TTL': '1' });
    const last = await upload(h.server, bytes, { 'X-FS-TTL': '3600' });
    await h.server.expiry.runOnce();
    const got = Buffer.from(await (await fetch(`${h.server.url}/file/${last.json.id}`)).arrayBuffer());
    expect(got.equals(bytes)).toBe(true);
  });
});
