// Attachments arrive encrypted by the client (legacy attachment encryption): the server stores
// exactly those bytes, and neither its database, its blob folder nor its logs ever contain the
// plaintext. The logs carry no client address either.
import { promises as fs } from 'fs';
import * as path from 'path';
import { decryptAttachment, encryptAttachment, utf8 } from '@starling/crypto';
import { serverBackends, startServer, upload, type Harness } from './support/harness';
import { jsonOf, onionV4 } from './support/onion-client';

const MARKER = 'STARLING-PLAINTEXT-MARKER-7f3a';

async function filesContaining(dir: string, needle: Buffer): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if ((await fs.readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

describe.each(serverBackends())('plaintext stays with the client on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  it('stores only ciphertext, over plain HTTP and over onion', async () => {
    const plaintext = utf8(`${MARKER} `.repeat(200));
    const viaHttp = encryptAttachment(plaintext, { pad: true });
    const viaOnion = encryptAttachment(plaintext, { pad: true });
    // Control: the marker is findable when it is there, so a miss below means something.
    expect(Buffer.from(plaintext).includes(MARKER)).toBe(true);

    const up = await upload(h.server, viaHttp.blob);
    expect(up.status).toBe(200);
    const onionUp = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file', headers: {} }, body: viaOnion.blob }, 'xchacha20');
    expect(onionUp.code).toBe(200);
    const onionId = (jsonOf(onionUp.body) as Record<string, string>).id;

    // What comes back decrypts to the original for the holder of the key.
    const back = Buffer.from(await (await fetch(`${h.server.url}/file/${onionId}`)).arrayBuffer());
    expect(Buffer.from(decryptAttachment(back, viaOnion.key, viaOnion.digest, viaOnion.size)).equals(Buffer.from(plaintext))).toBe(true);

    const marker = Buffer.from(MARKER, 'utf8');
    const inDb = await h.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM file_blobs WHERE position($1::bytea IN data) > 0)
            + (SELECT count(*) FROM files WHERE position($2 IN id || size::text) > 0) AS n`,
      [marker, MARKER],
    );
    expect(Number(inDb.rows[0]!.n)).toBe(0);
    if (backend.blobStore === 'db') {
      // The control for the query: the stored ciphertext is there to be searched.
      const stored = await h.db.query<{ n: string }>('SELECT count(*) AS n FROM file_blobs WHERE position($1::bytea IN data) > 0', [Buffer.from(viaHttp.blob.subarray(0, 32))]);
      expect(Number(stored.rows[0]!.n)).toBe(1);
    }
    expect(await filesContaining(h.dataDir, marker)).toEqual([]);
    if (h.server.blobDir) expect((await filesContaining(h.server.blobDir, Buffer.from(viaHttp.blob.subarray(0, 32)))).length).toBe(1);

    const logs = h.logs.join('');
    expect(logs).toContain('file server listening');
    expect(logs).not.toContain(MARKER);
    // The startup line names the server's own URL; no other line may name an address.
    const requestLines = h.logs.filter((line) => !line.includes('file server listening'));
    expect(requestLines.join('')).not.toContain('127.0.0.1');
    expect(logs).not.toMatch(/"(ip|remoteAddress|remotePort)"/);
  });
});
