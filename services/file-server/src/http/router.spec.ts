// The file server's route table on its own: templates, the {"status_code"} answers it gives itself,
// and the onion endpoints that only direct HTTP reaches.
import { Writable } from 'stream';
import { createLogger, createMetrics, jsonReply, textReply, UNMATCHED_ROUTE, type EdgeRequest, type Reply } from '@starling/platform';
import { FileServerMetrics } from '../metrics';
import { FileServerRouter } from './router';

const logs: string[] = [];
const metrics = createMetrics('file-server', { defaultMetrics: false });
const router = new FileServerRouter(
  new FileServerMetrics(metrics),
  createLogger('test', { destination: new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }) }),
);
const seen: string[] = [];
router
  .add('GET', '/file/:id', async (req, { id }) => (seen.push(`get ${id} ${req.query}`), jsonReply(200, { id })))
  .add('POST', '/file/:id/extend', async () => jsonReply(200, {}))
  .add('GET', '/broken', async () => {
    throw new Error('disk on fire');
  })
  .addEndpoints([{ method: 'POST', path: '/oxen/v4/lsrpc', maxBodyBytes: 99, handle: () => textReply(200, 'onion') }]);

const request = (method: string, path: string, query = ''): EdgeRequest => ({ method, path, query, headers: {}, body: Buffer.alloc(0) });

async function answer(method: string, path: string): Promise<{ route: string; reply: Reply }> {
  const resolved = router.resolve(method, path);
  return { route: resolved.route, reply: await resolved.handle(request(method, path)) };
}

const statusCode = (status: number, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify({ status_code: status })),
});

describe('FileServerRouter', () => {
  beforeEach(() => (seen.length = 0));

  it('matches templates against the percent-decoded path and labels the route by template', async () => {
    const { route, reply } = await answer('GET', '/%66ile/abc');
    expect(route).toBe('/file/:id');
    expect(Buffer.from(reply.body).toString()).toBe('{"id":"abc"}');
  });

  it('answers an unknown path, a bad escape and a wrong method with {"status_code": N}', async () => {
    expect(await answer('GET', '/file/a/b')).toEqual({ route: UNMATCHED_ROUTE, reply: statusCode(404) });
    expect(await answer('GET', '/file/%E0%A4%A')).toEqual({ route: UNMATCHED_ROUTE, reply: statusCode(404) });
    expect(await answer('DELETE', '/file/x')).toEqual({ route: '/file/:id', reply: statusCode(405, { allow: 'GET' }) });
    const counted = await metrics.text();
    expect(counted).toMatch(/file_server_rejections_total\{reason="not_found"[^}]*\} 2/);
    expect(counted).toMatch(/file_server_rejections_total\{reason="bad_method"[^}]*\} 1/);
  });

  it('reaches an onion endpoint by direct POST only; other methods there are the 404 of an unknown path', async () => {
    const post = router.resolve('POST', '/oxen/v4/lsrpc');
    expect([post.route, post.maxBodyBytes]).toEqual(['/oxen/v4/lsrpc', 99]);
    expect(await answer('GET', '/oxen/v4/lsrpc')).toEqual({ route: UNMATCHED_ROUTE, reply: statusCode(404) });
    // An inner request never reaches the endpoints: no onion inside an onion.
    expect(await router.dispatch(request('POST', '/oxen/v4/lsrpc'))).toEqual(statusCode(404));
  });

  it('dispatches an inner request through the same routes, query included', async () => {
    expect((await router.dispatch(request('GET', '/file/xyz', 'a=1'))).status).toBe(200);
    expect(seen).toEqual(['get xyz a=1']);
  });

  it('turns a failing handler into a logged 500 {"status_code": 500}', async () => {
    expect((await answer('GET', '/broken')).reply).toEqual(statusCode(500));
    expect(logs.join('')).toContain('"err":"Error: disk on fire"');
    expect(logs.join('')).toContain('"route":"/broken"');
  });

  it('refuses a route registered twice', () => {
    expect(() => router.add('GET', '/file/:id', async () => jsonReply(200, {}))).toThrow('registered twice');
  });
});
