// Every refusal is JSON {"status_code": N} with the same HTTP status and the exact content type
// application/json, as the upstream file server answers.
import { patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';

describe.each(serverBackends())('error answers on $name', (backend) => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startServer(backend);
    id = (await upload(h.server, patternBytes(10, 5))).json.id as string;
  });
  afterAll(() => h.stop());

  async function expectError(method: string, path: string, status: number) {
    const res = await fetch(`${h.server.url}${path}`, { method });
    expect([method, path, res.status, res.headers.get('content-type'), await res.json()]).toEqual([
      method, path, status, 'application/json', { status_code: status },
    ]);
    return res;
  }

  it.each([
    ['too short', 'abc'],
    ['too long', 'A'.repeat(45)],
    ['outside base64url', `${'A'.repeat(43)}+`],
    ['percent-encoded slash', `${'A'.repeat(22)}%2F${'A'.repeat(21)}`],
    ['bad percent-encoding', '%E0%A4%A'],
    ['legacy numeric', '12345'],
  ])('a malformed id (%s) is 404 on every file route', async (_what, bad) => {
    await expectError('GET', `/file/${bad}`, 404);
    await expectError('GET', `/file/${bad}/info`, 404);
    await expectError('POST', `/file/${bad}/extend`, 404);
  });

  it('an id that does not exist is 404', async () => {
    await expectError('GET', `/file/${'Z'.repeat(44)}`, 404);
  });

  it.each([
    ['PUT', '/file', 'POST'],
    ['GET', '/file', 'POST'],
    ['DELETE', '/file/:id', 'GET'],
    ['POST', '/file/:id', 'GET'],
    ['POST', '/file/:id/info', 'GET'],
    ['GET', '/file/:id/extend', 'POST'],
  ])('%s %s is 405 and names the allowed method', async (method, route, allowed) => {
    const res = await expectError(method, route.replace(':id', id), 405);
    expect(res.headers.get('allow')).toBe(allowed);
  });

  it('a refused request with a large unread body is still answered', async () => {
    const res = await fetch(`${h.server.url}/file`, { method: 'PUT', body: patternBytes(3_000_000, 6) });
    expect([res.status, await res.json()]).toEqual([405, { status_code: 405 }]);
    const bad = await fetch(`${h.server.url}/file`, { method: 'POST', headers: { 'X-FS-TTL': 'later' }, body: patternBytes(3_000_000, 7) });
    expect([bad.status, await bad.json()]).toEqual([400, { status_code: 400 }]);
  });

  it.each(['/', '/files', '/file/', `/file/${'A'.repeat(44)}/nope`, '/session_version'])('unknown path %s is 404', async (path) => {
    await expectError('GET', path, 404);
  });

  it('the file stayed untouched by all of that', async () => {
    const res = await fetch(`${h.server.url}/file/${id}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(patternBytes(10, 5))).toBe(true);
  });
});
