// TURN credentials for a call, fetched from the file server's GET /turn/credentials through an
// onion path (never directly, so the credential service does not learn who calls). The answer is
// a TURN REST credential valid for `ttl` seconds on every listed URI.
import { ClientError } from '../network/errors';
import type { FileServer } from '../attachments/file-server';
import { serverRequest, type ServerRequests } from '../network/known-server';
import type { IceServer } from './call-peer';

const TURN_REQUEST_TIMEOUT_MS = 20_000;

export async function fetchTurnServers(requests: ServerRequests, server: FileServer): Promise<IceServer[]> {
  const response = await serverRequest(requests, server, { meta: { method: 'GET', endpoint: '/turn/credentials', headers: {} } }, TURN_REQUEST_TIMEOUT_MS);
  if (response.code === 404) throw new ClientError('this file server offers no TURN relay; calls need one (or --direct)', 'refused');
  if (response.code !== 200) throw new ClientError(`the file server refused TURN credentials: ${response.code}`, 'refused');
  let reply: { username?: unknown; password?: unknown; uris?: unknown };
  try {
    reply = JSON.parse(Buffer.from(response.body).toString('utf8'));
  } catch {
    throw new ClientError('the file server answered the TURN request with something that is not JSON');
  }
  const { username, password, uris } = reply ?? {};
  if (typeof username !== 'string' || typeof password !== 'string' || !Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string' && /^turns?:/.test(u))) {
    throw new ClientError('the file server answered the TURN request without a usable credential');
  }
  return (uris as string[]).map((urls) => ({ urls, username, credential: password }));
}
