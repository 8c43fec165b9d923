import { patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends())('GET /file/:id/info on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend, { defaultTtlSeconds: 7200 });
  });
  afterAll(() => h.stop());

  it('describes a stored file with size, uploaded and expires as unix seconds', async () => {
    const bytes = patternBytes(1234, 3);
    const up = await upload(h.server, bytes);
    const res = await fetch(`${h.server.url}/file/${up.json.id}/info`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const info = (await res.json()) as Record<string, number | string>;
    expect(info).toEqual({ id: up.json.id, size: 1234, uploaded: up.json.uploaded, expires: up.json.expires });
    expect(Math.abs((info.uploaded as number) - Date.now() / 1000)).toBeLessThan(60);
    expect((info.expires as number) - (info.uploaded as number)).toBeCloseTo(7200, 0);
  });

  it('answers 404 {"status_code":404} for an id that was never uploaded', async () => {
    const res = await fetch(`${h.server.url}/file/${'A'.repeat(44)}/info`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status_code: 404 });
  });
});
