// /healthz, /readyz and /metrics on the ops port: probes for Kubernetes and the domain counters
// for Prometheus. The public port serves only the file API.
import { patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends().filter((b) => b.blobStore === 'db'))('ops endpoints on $name', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer(backend);
  });
  afterAll(() => h.stop());

  const metric = (text: string, name: string, labels = '') => {
    // `name{labels} value`, or `name value` for a series without labels.
    const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(labels));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('answers liveness and readiness', async () => {
    const live = await fetch(`${h.opsUrl}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${h.opsUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true } } });
  });

  it('counts uploads, downloads, bytes and rejections by reason', async () => {
    const up = await upload(h.server, patternBytes(1000, 1));
    await (await fetch(`${h.server.url}/file/${up.json.id}`)).arrayBuffer();
    await fetch(`${h.server.url}/file/${'N'.repeat(44)}`);
    await upload(h.server, new Uint8Array(0));
    await upload(h.server, patternBytes(10, 2), { 'X-FS-TTL': 'never' });
    await fetch(`${h.server.url}/file`, { method: 'PUT' });
    await h.server.expiry.runOnce(); // refreshes the stored-bytes gauges

    const text = await (await fetch(`${h.opsUrl}/metrics`)).text();
    expect(metric(text, 'file_server_uploads_total')).toBe(1);
    expect(metric(text, 'file_server_upload_bytes_total')).toBe(1000);
    expect(metric(text, 'file_server_downloads_total')).toBe(1);
    expect(metric(text, 'file_server_download_bytes_total')).toBe(1000);
    expect(metric(text, 'file_server_rejections_total', 'reason="not_found"')).toBe(1);
    expect(metric(text, 'file_server_rejections_total', 'reason="empty"')).toBe(1);
    expect(metric(text, 'file_server_rejections_total', 'reason="bad_ttl"')).toBe(1);
    expect(metric(text, 'file_server_rejections_total', 'reason="bad_method"')).toBe(1);
    expect(metric(text, 'file_server_stored_files')).toBe(1);
    expect(metric(text, 'file_server_stored_bytes')).toBe(1000);
    // RED metrics carry the route template, never a file id.
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/file\/:id"/);
    expect(text).not.toContain(up.json.id as string);
  });
});
