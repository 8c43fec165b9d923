// The 10,000,000-byte cap is enforced while the body streams in: an oversized upload is answered
// with 413 before the server has read it all, and nothing of it stays behind (what it had staged
// on disk is removed as its handler learns the body was refused, just after the answer).
import * as http from 'http';
import { eventually } from '@starling/platform';
import { blobFiles, blobRows, fileRows, patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

const MAX = 10_000_000;

interface RawReply {
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * POSTs `first` (chunked, no length), then holds the request open until the server has answered:
 * a server that read the whole body before checking would never answer, and the test would time out.
 */
function postAndHoldOpen(url: string, first: Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/file`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', ...headers } });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, contentType: res.headers['content-type'], body: Buffer.concat(chunks).toString() });
        req.destroy();
      });
    });
    req.write(first);
    // Deliberately no req.end(): the body never finishes.
  });
}

describe.each(serverBackends())('oversized uploads on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { maxBytes: MAX });
  });
  afterAll(() => h.stop());

  async function expectNothingStored(): Promise<void> {
    expect(await fileRows(h.db)).toEqual([]);
    expect(await blobRows(h.db)).toEqual([]);
    if (h.server.blobDir) expect(await blobFiles(h.server.blobDir)).toEqual([]);
  }

  it('refuses 10,000,001 bytes with 413 and stores nothing', async () => {
    const up = await upload(h.server, patternBytes(MAX + 1, 7));
    expect(up.status).toBe(413);
    expect(up.contentType).toBe('application/json');
    expect(up.json).toEqual({ status_code: 413 });
    await expectNothingStored();
  });

  it('answers 413 while the body is still arriving (chunked, no length)', async () => {
    const reply = await postAndHoldOpen(h.server.url, patternBytes(MAX + 1, 8));
    expect(reply.status).toBe(413);
    expect(reply.contentType).toBe('application/json');
    expect(JSON.parse(reply.body)).toEqual({ status_code: 413 });
    await eventually(expectNothingStored, 10_000);
  });

  it('answers 413 from the declared Content-Length before reading any of the body', async () => {
    const reply = await postAndHoldOpen(h.server.url, Buffer.alloc(10), { 'content-length': String(MAX + 1) });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ status_code: 413 });
    await expectNothingStored();
  });

  it('still accepts exactly the maximum afterwards', async () => {
    const up = await upload(h.server, patternBytes(MAX, 9));
    expect(up.status).toBe(200);
    expect(await fileRows(h.db)).toEqual([{ id: up.json.id }]);
  });
});
