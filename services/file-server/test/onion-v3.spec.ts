// The deprecated v3 onion format (/loki/v3/lsrpc, /oxen/v3/lsrpc): a JSON request; the reply is
// base64 of the encrypted body on 200, otherwise of {"status_code": N}.
import { patternBytes, serverBackends, startServer, upload, type Harness } from './support/harness';
import { onionV3 } from './support/onion-client';

describe.each(serverBackends().filter((b) => b.blobStore === 'folder'))('onion v3 on $name', (backend) => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startServer(backend);
    id = (await upload(h.server, patternBytes(64, 1))).json.id as string;
  });
  afterAll(() => h.stop());

  it.each([
    ['/loki/v3/lsrpc', 'aes-gcm'],
    ['/oxen/v3/lsrpc', 'xchacha20'],
  ] as const)('%s (%s) answers info and passes errors as {"status_code": N}', async (target, encType) => {
    const info = JSON.parse((await onionV3(h.server, { method: 'GET', endpoint: `file/${id}/info` }, encType, target)).toString());
    expect(info).toMatchObject({ id, size: 64 });
    const missing = JSON.parse((await onionV3(h.server, { method: 'GET', endpoint: `/file/${'X'.repeat(44)}` }, encType, target)).toString());
    expect(missing).toEqual({ status_code: 404 });
  });

  it('uploads a string body and downloads it', async () => {
    const up = JSON.parse((await onionV3(h.server, { method: 'POST', endpoint: '/file', body: 'plain text file' }, 'aes-gcm')).toString());
    const bytes = await onionV3(h.server, { method: 'GET', endpoint: `/file/${up.id}` }, 'aes-gcm');
    expect(bytes.toString()).toBe('plain text file');
  });

  it('refuses a GET with a body and an unparseable request with {"status_code":400}', async () => {
    const withBody = await onionV3(h.server, { method: 'GET', endpoint: `/file/${id}`, body: 'x' }, 'xchacha20');
    expect(JSON.parse(withBody.toString())).toEqual({ status_code: 400 });
  });
});
