// Hostile requests to the file server's API (sogs-fileserver 5): lifetimes that are not lifetimes,
// ids that are not ids (traversal, bad escapes, NUL, 10 KB), empty uploads, methods and paths it
// does not serve. The same cases go directly and as the v4 request inside onion requests.
import { anyClientError, type HostileCase, type RefusalRule } from './hostile-case';
import { HUGE_NUMBERS, type Rng } from './values';

/** The file server refuses with `{"status_code": N}` and the same HTTP status N. */
export const fileServerRefusal: RefusalRule = (status, body) => {
  const problem = anyClientError(status, body);
  if (problem) return problem;
  try {
    const answer = JSON.parse(body.toString('utf8')) as { status_code?: unknown };
    return answer.status_code === status ? undefined : `status_code ${String(answer.status_code)} in a ${status}`;
  } catch {
    return 'a refusal that is not {"status_code": N}';
  }
};

const fileCase = (what: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): HostileCase => ({
  what,
  method,
  path,
  headers,
  ...(body === undefined ? {} : { body }),
  refusal: fileServerRefusal,
});

/** Lifetimes X-FS-TTL must refuse. */
const BAD_TTLS = ['soon', '', ' ', '-1', '1.5', '0x10', '1e3', 'Infinity', 'NaN', '+60', '6 0', '60s', ...HUGE_NUMBERS];

export function fileServerCases(rng: Rng, existingId: string): HostileCase[] {
  const ids = [
    '..',
    '%2e%2e',
    '..%2f..%2fetc%2fpasswd',
    '%zz',
    '%',
    '%00',
    'A'.repeat(43) + '%00',
    'A'.repeat(10_000),
    'Q'.repeat(44),
    'ὕδωρ',
    '%E2%80%AE',
    existingId.slice(0, -1),
    `${existingId}x`,
    existingId.toLowerCase() === existingId ? existingId.toUpperCase() : existingId.toLowerCase(),
    ...Array.from({ length: 70 }, () => rng.word(1 + rng.int(80)).replace(/[/?#%]/g, 'x')),
  ];
  const cases: HostileCase[] = [];
  for (const id of ids) {
    cases.push(
      fileCase(`GET /file/${id.slice(0, 24)}`, 'GET', `/file/${id}`),
      fileCase(`GET /file/${id.slice(0, 24)}/info`, 'GET', `/file/${id}/info`),
      fileCase(`POST /file/${id.slice(0, 24)}/extend`, 'POST', `/file/${id}/extend`),
    );
  }
  for (const ttl of BAD_TTLS) {
    cases.push(
      fileCase(`upload with X-FS-TTL ${JSON.stringify(ttl.slice(0, 20))}`, 'POST', '/file', { 'x-fs-ttl': ttl, 'content-type': 'application/octet-stream' }, rng.bytes(64)),
      fileCase(`extend with X-FS-TTL ${JSON.stringify(ttl.slice(0, 20))}`, 'POST', `/file/${existingId}/extend`, { 'x-fs-ttl': ttl }),
    );
  }
  cases.push(fileCase('an empty upload', 'POST', '/file', { 'content-type': 'application/octet-stream' }, Buffer.alloc(0)));
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
    for (const path of ['/file', `/file/${existingId}`, `/file/${existingId}/info`, `/file/${existingId}/extend`]) cases.push(fileCase(`${method} ${path.slice(0, 30)}`, method, path));
  }
  for (const path of ['/', '/files', '/file/', '//file', '/file/x/y/z', `/file/${existingId}/`, `/file/${existingId}/info/x`, '/oxen/v4/lsrpc/x', '/loki/v2/lsrpc', '/session_version', `/${rng.word(3_000).replace(/[/?#%]/g, 'x')}`]) {
    cases.push(fileCase(`GET ${path.slice(0, 30)}`, 'GET', path));
  }
  // The onion endpoints only take POST: any other method there is an unknown path.
  for (const method of ['GET', 'PUT']) cases.push(fileCase(`${method} /oxen/v4/lsrpc`, method, '/oxen/v4/lsrpc'));
  return cases;
}
