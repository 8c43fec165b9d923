// close() (what SIGTERM runs): readiness fails at once, an upload already in flight still
// completes, and new connections are refused afterwards.
import * as http from 'http';
import { blobFiles, fileRows, patternBytes, serverBackends, startServer, type Harness } from './support/harness';

describe.each(serverBackends().filter((b) => b.blobStore === 'folder'))('graceful shutdown on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  it('drains an in-flight upload, then stops listening', async () => {
    const first = patternBytes(1000, 1);
    const second = patternBytes(1000, 2);
    let status = 0;
    let body = '';
    const req = http.request(`${h.server.url}/file`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', expect: '100-continue' } });
    const answered = new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        status = res.statusCode!;
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', resolve);
      });
    });
    req.flushHeaders();
    // The server has taken the upload in (its go-ahead to send the body) before shutdown begins.
    await new Promise((resolve) => req.on('continue', resolve));
    req.write(first);

    const closing = h.server.close();
    expect((await h.server.health.readiness()).ok).toBe(false);
    req.end(second);
    await answered;
    await closing;

    expect(status).toBe(200);
    const id = JSON.parse(body).id as string;
    const db = await h.reopenDatabase();
    expect((await fileRows(db)).map((r) => r.id)).toContain(id);
    await db.close();
    expect(await blobFiles(h.server.blobDir!)).toEqual([`${id.slice(0, 2)}/${id}`]);
    await expect(fetch(`${h.opsUrl}/healthz`)).rejects.toThrow();
  });
});
