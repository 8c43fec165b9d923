// The file API through onion requests (POST /oxen/v4/lsrpc): the same routes, answers and errors
// as plain HTTP, encrypted to the client's key with the client's enc_type.
import { patternBytes, serverBackends, startServer, type Harness } from './support/harness';
import { jsonOf, onionV4 } from './support/onion-client';
import { fileIdOf } from '../src/files/file-id';

describe.each(serverBackends())('onion v4 on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { maxBytes: 10_000_000 });
  });
  afterAll(() => h.stop());

  describe.each(['xchacha20', 'aes-gcm'] as const)('with %s', (encType) => {
    it('uploads, reads info, downloads and extends a file', async () => {
      const bytes = patternBytes(541, encType === 'aes-gcm' ? 1 : 2);
      const up = await onionV4(
        h.server,
        { meta: { method: 'POST', endpoint: '/file', headers: { 'Content-Type': 'application/octet-stream', 'X-FS-TTL': '600' } }, body: bytes },
        encType,
      );
      expect(up.code).toBe(200);
      expect(up.headers).toEqual({ 'content-type': 'application/json' });
      const stored = jsonOf(up.body) as Record<string, number | string>;
      expect(stored.id).toBe(await fileIdOf(bytes));
      expect(Math.round((stored.expires as number) - (stored.uploaded as number))).toBe(600);

      const info = await onionV4(h.server, { meta: { method: 'GET', endpoint: `/file/${stored.id}/info`, headers: {} } }, encType);
      expect(info.code).toBe(200);
      expect(jsonOf(info.body)).toEqual({ id: stored.id, size: 541, uploaded: stored.uploaded, expires: stored.expires });

      const down = await onionV4(h.server, { meta: { method: 'GET', endpoint: `/file/${stored.id}`, headers: {} } }, encType);
      expect(down.code).toBe(200);
      expect(down.headers['content-type']).toBe('application/octet-stream');
      expect(down.headers['content-length']).toBeUndefined();
      expect(Date.parse(down.headers.expires!)).toBe(Math.floor(stored.expires as number) * 1000);
      expect(Buffer.from(down.body).equals(bytes)).toBe(true);

      const ext = await onionV4(h.server, { meta: { method: 'POST', endpoint: `/file/${stored.id}/extend`, headers: { 'x-fs-ttl': '7200' } }, body: new Uint8Array(0) }, encType);
      expect(ext.code).toBe(200);
      expect((jsonOf(ext.body) as Record<string, number>).expires).toBeGreaterThan(stored.expires as number);

      // Same bytes over plain HTTP: one dispatcher, one store.
      const plain = await fetch(`${h.server.url}/file/${stored.id}`);
      expect(Buffer.from(await plain.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('passes errors through with their status and JSON body', async () => {
      const missing = await onionV4(h.server, { meta: { method: 'GET', endpoint: `/file/${'Q'.repeat(44)}`, headers: {} } }, encType);
      expect([missing.code, missing.headers['content-type'], jsonOf(missing.body)]).toEqual([404, 'application/json', { status_code: 404 }]);
      const wrongMethod = await onionV4(h.server, { meta: { method: 'DELETE', endpoint: '/file', headers: {} } }, encType);
      expect([wrongMethod.code, jsonOf(wrongMethod.body)]).toEqual([405, { status_code: 405 }]);
      const empty = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file', headers: {} }, body: new Uint8Array(0) }, encType);
      expect([empty.code, jsonOf(empty.body)]).toEqual([413, { status_code: 413 }]);
      const badTtl = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file', headers: { 'X-FS-TTL': 'x' } }, body: Uint8Array.of(1) }, encType);
      expect([badTtl.code, jsonOf(badTtl.body)]).toEqual([400, { status_code: 400 }]);
    });

    it('ignores a query string and percent-encoding in the endpoint', async () => {
      const bytes = patternBytes(20, 77);
      const up = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file?x=1', headers: {} }, body: bytes }, encType);
      const id = (jsonOf(up.body) as Record<string, string>).id!;
      const encoded = `/%66ile/${id}/info?y=2`;
      const info = await onionV4(h.server, { meta: { method: 'GET', endpoint: encoded, headers: {} } }, encType);
      expect(info.code).toBe(200);
    });
  });

  it('carries a 10,000,000-byte upload and refuses 10,000,001 bytes', async () => {
    const bytes = patternBytes(10_000_000, 5);
    const up = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file', headers: {} }, body: bytes }, 'xchacha20');
    expect(up.code).toBe(200);
    const down = await onionV4(h.server, { meta: { method: 'GET', endpoint: `/file/${(jsonOf(up.body) as Record<string, string>).id}`, headers: {} } }, 'xchacha20');
    expect(Buffer.from(down.body).equals(bytes)).toBe(true);
    const tooBig = await onionV4(h.server, { meta: { method: 'POST', endpoint: '/file', headers: {} }, body: patternBytes(10_000_001, 6) }, 'aes-gcm');
    expect([tooBig.code, tooBig.headers, jsonOf(tooBig.body)]).toEqual([413, { 'content-type': 'application/json' }, { status_code: 413 }]);
  });
});
