// Nothing half-written: an upload whose client goes away (the edge never hands a partial body on),
// or whose metadata transaction fails after the bytes were staged and linked, leaves no row, no blob row and no file behind.
import * as http from 'http';
import * as net from 'net';
import { eventually } from '@starling/platform';
import type { Database, Transaction } from '@starling/platform';
import { blobFiles, blobRows, fileRows, patternBytes, serverBackends, startServer, type Harness } from './support/harness';
import { FileStore } from '../src/storage/file-store';
import { DbBlobStore } from '../src/storage/db-blob-store';
import { FolderBlobStore } from '../src/storage/folder-blob-store';

describe.each(serverBackends())('aborted uploads on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  async function expectNothingStored(): Promise<void> {
    expect(await fileRows(h.db)).toEqual([]);
    expect(await blobRows(h.db)).toEqual([]);
    if (h.server.blobDir) expect(await blobFiles(h.server.blobDir)).toEqual([]);
  }

  it('a client that disconnects mid-body leaves nothing', async () => {
    const req = http.request(`${h.server.url}/file`, { method: 'POST', headers: { 'content-length': '2000000', expect: '100-continue' } });
    req.on('error', () => undefined);
    req.flushHeaders();
    // The server's go-ahead: it has taken the request in before the client vanishes mid-body.
    await new Promise((resolve) => req.on('continue', resolve));
    req.write(patternBytes(1_000_000, 1));
    req.destroy();
    await eventually(expectNothingStored, 10_000);
    // The server is fine afterwards, and took the abort as the client's doing, not an error.
    expect((await fetch(`${h.opsUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.opsUrl}/metrics`)).text()).not.toMatch(/http_requests_total\{[^}]*status="5\d\d"/);
    expect(h.logs.join('')).not.toContain('request failed');
  });

  it('a connection that sends headers and then garbage does not crash the server', async () => {
    const url = new URL(h.server.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.on('connect', resolve));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write('POST /file HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n');
    await new Promise((resolve) => socket.on('close', resolve).on('error', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    await eventually(expectNothingStored, 10_000);
    expect((await fetch(`${h.opsUrl}/healthz`)).status).toBe(200);
  });

  it('a metadata transaction that fails after the bytes were committed leaves nothing', async () => {
    const blobs = h.server.blobDir ? new FolderBlobStore(h.server.blobDir) : new DbBlobStore();
    const failing: Database = {
      ...h.db,
      query: (sql, params) => h.db.query(sql, params),
      exec: (sql) => h.db.exec(sql),
      transaction: <T>(fn: (tx: Transaction) => Promise<T>) =>
        h.db.transaction(async (tx) => {
          await fn(tx);
          throw new Error('commit failed');
        }),
    };
    const store = new FileStore(failing, blobs, 10_000_000);
    await expect(store.put([patternBytes(5000, 3)], 60)).rejects.toThrow('commit failed');
    await expectNothingStored();
  });
});
