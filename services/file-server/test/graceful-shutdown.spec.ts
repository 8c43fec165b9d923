// close() (what SIGTERM runs): readiness fails at once, an upload already in flight still
// completes, and new connections are refused afterwards.
import * as http from 'http';
import { eventually } from '@starling/platform';
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
    const req = http.request(`${h.server.url}/file`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' } });
    const answered = new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        status = res.statusCode!;
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', resolve);
      });
    });
    req.write(first);
    // The server is reading the upload (it is staged in the blob folder) before shutdown begins.
    await eventually(async () => expect((await blobFiles(h.server.blobDir!)).some((f) => f.startsWith('.uploads/'))).toBe(true));

    const closing = h.server.close();
    expect((await h.server.health.readiness()).ok).toBe(false);
    req.end(second);
    await answered;
    await closing;

    expect(status).toBe(200);
    const id = JSON.parse(body).id as string;
    expect((await fileRows(h.db)).map((r) => r.id)).toContain(id);
    await expect(fetch(`${h.server.url}/healthz`)).rejects.toThrow();
  });
});
