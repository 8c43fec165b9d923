// The client's requests as the server sees them: each one is checked with the same header
// parsing and signature verification the community server uses (@starling/crypto sogs-auth).
import {
  blind15Id,
  fromHex,
  generateIdentity,
  parseSogsAuthHeaders,
  ready,
  toHex,
  verifySogsRequest,
  x25519PublicKeyFromSecret,
  type V4Request,
  type V4Response,
} from '@starling/crypto';
import type { ServerRequests } from '../attachments/file-transfer';
import { ClientError } from '../network/errors';
import type { ServerAddress } from '../network/onion-client';
import { CommunityClient } from './community-client';
import { CommunityServer } from './join-url';

const SERVER_SECRET = fromHex('11'.repeat(32), 32);
let server: CommunityServer;

beforeAll(async () => {
  await ready();
  const x25519 = toHex(x25519PublicKeyFromSecret(SERVER_SECRET));
  server = { host: '127.0.0.1', port: 8080, protocol: 'http', x25519, baseUrl: 'http://127.0.0.1:8080' };
});

interface Seen {
  address: ServerAddress;
  request: V4Request;
  verified: boolean;
  timestamp: number;
}

/** Answers every request with `reply` after checking its signature as the server does. */
function fakeServer(replies: Array<Partial<V4Response> & { json?: unknown }>) {
  const seen: Seen[] = [];
  const requests: ServerRequests = {
    async serverRequest(address, request) {
      const auth = parseSogsAuthHeaders(request.meta.headers)!;
      const verified = verifySogsRequest(auth, { serverPk: fromHex(address.x25519, 32), method: request.meta.method, path: request.meta.endpoint, body: request.body });
      seen.push({ address, request, verified, timestamp: Number(auth.timestamp) });
      const reply = replies.shift() ?? { json: {} };
      const body = reply.body ?? new Uint8Array(Buffer.from(JSON.stringify(reply.json ?? {})));
      return { code: reply.code ?? 200, headers: {}, body };
    },
  };
  return { seen, requests };
}

const at = (ms: number) => ({ now: () => ms });

describe('CommunityClient', () => {
  it('signs each request as the 15-blinded id, over method, path with query and body', async () => {
    const { identity } = generateIdentity();
    const { seen, requests } = fakeServer([{ json: [] }, { code: 201, json: { id: 7, seqno: 3 } }, { json: { added: true, seqno: 4 } }]);
    const client = new CommunityClient(requests, server, identity.seed, at(1_700_000_123_456));
    expect(await client.messagesSince('lobby', 12)).toEqual([]);
    expect(await client.post('lobby', new Uint8Array([1, 2, 3]), new Uint8Array(64))).toEqual({ id: 7, seqno: 3 });
    expect(await client.react('lobby', 7, '🐈')).toBe(true);

    expect(seen.map((s) => [s.request.meta.method, s.request.meta.endpoint, s.verified])).toEqual([
      ['GET', '/room/lobby/messages/since/12?t=r&reactors=5&limit=256', true],
      ['POST', '/room/lobby/message', true],
      ['PUT', '/room/lobby/reaction/7/🐈', true],
    ]);
    expect(seen.every((s) => s.request.meta.headers['X-SOGS-Pubkey'] === blind15Id(identity.seed, fromHex(server.x25519, 32)))).toBe(true);
    expect(client.blindedId).toBe(seen[0].request.meta.headers['X-SOGS-Pubkey']);
    expect(seen.every((s) => s.timestamp === 1_700_000_123)).toBe(true);
    expect(JSON.parse(Buffer.from(seen[1].request.body!).toString())).toEqual({ data: 'AQID', signature: Buffer.alloc(64).toString('base64') });
    expect(seen[0].request.body).toBeUndefined();
    expect(seen[0].address).toEqual({ host: '127.0.0.1', port: 8080, protocol: 'http', x25519: server.x25519 });
  });

  it('a signature for another path or server does not verify', async () => {
    const { identity } = generateIdentity();
    const { seen, requests } = fakeServer([{}]);
    await new CommunityClient(requests, server, identity.seed, at(Date.now())).deleteMessage('lobby', 5);
    const auth = parseSogsAuthHeaders(seen[0].request.meta.headers)!;
    const serverPk = fromHex(server.x25519, 32);
    expect(verifySogsRequest(auth, { serverPk, method: 'DELETE', path: '/room/lobby/message/5' })).toBe(true);
    expect(verifySogsRequest(auth, { serverPk, method: 'DELETE', path: '/room/lobby/message/6' })).toBe(false);
    expect(verifySogsRequest(auth, { serverPk, method: 'GET', path: '/room/lobby/message/5' })).toBe(false);
    expect(verifySogsRequest(auth, { serverPk: new Uint8Array(32).fill(9), method: 'DELETE', path: '/room/lobby/message/5' })).toBe(false);
  });

  it('sends the moderator requests with the bodies of the API', async () => {
    const { identity } = generateIdentity();
    const { seen, requests } = fakeServer([{}, {}, {}, {}, { json: { unpinned: false } }]);
    const client = new CommunityClient(requests, server, identity.seed, at(Date.now()));
    const target = '15' + 'ab'.repeat(32);
    await client.ban('lobby', target, { timeoutSeconds: 3600 });
    await client.ban('lobby', target, { global: true });
    await client.unban('lobby', target);
    await client.pin('lobby', 9);
    expect(await client.unpin('lobby', 9)).toBe(false);
    expect(seen.map((s) => [s.request.meta.method, s.request.meta.endpoint, JSON.parse(Buffer.from(s.request.body ?? []).toString() || 'null'), s.verified])).toEqual([
      ['POST', `/user/${target}/ban`, { rooms: ['lobby'], timeout: 3600 }, true],
      ['POST', `/user/${target}/ban`, { global: true }, true],
      ['POST', `/user/${target}/unban`, { rooms: ['lobby'] }, true],
      ['POST', '/room/lobby/pin/9', {}, true],
      ['POST', '/room/lobby/unpin/9', {}, true],
    ]);
  });

  it.each([
    [403, 'Permission denied', 'the community server refused deleting message 5: permission denied (403: Permission denied)', 'refused'],
    [403, 'Banned', 'the community server refused deleting message 5: you are banned from this server (403)', 'refused'],
    [404, 'No such room', 'the community server refused deleting message 5: the room does not exist, or you may not see it (404)', 'not_found'],
    [404, 'Not found', 'the community server refused deleting message 5: no such room, message or user (404: Not found)', 'not_found'],
    [429, 'Rate limited', 'the community server refused deleting message 5: rate limited or rejected (429: Rate limited)', 'refused'],
    [502, '', 'the community server refused deleting message 5: 502', 'network'],
  ])('turns %d %s into a one-line error', async (code, said, message, kind) => {
    const { requests } = fakeServer([{ code, body: new Uint8Array(Buffer.from(said)) }]);
    const failure = new CommunityClient(requests, server, generateIdentity().identity.seed, at(Date.now())).deleteMessage('lobby', 5);
    await expect(failure).rejects.toThrow(new ClientError(message));
    await failure.catch((err: ClientError) => expect(err.kind).toBe(kind));
  });

  it('after a 425 (clock too far off) learns the network time and signs again, once', async () => {
    const { seen, requests } = fakeServer([{ code: 425, body: new Uint8Array(Buffer.from('Timestamp is too far from current time')) }, { json: { token: 'lobby' } }]);
    let now = 1_000_000_000_000;
    const clock = { now: () => now, resync: async () => void (now = 1_700_000_000_000) };
    const info = await new CommunityClient(requests, server, generateIdentity().identity.seed, clock).roomInfo('lobby');
    expect(info).toEqual({ token: 'lobby' });
    expect(seen.map((s) => [s.timestamp, s.verified])).toEqual([[1_000_000_000, true], [1_700_000_000, true]]);
    expect(seen[0].request.meta.headers['X-SOGS-Nonce']).not.toBe(seen[1].request.meta.headers['X-SOGS-Nonce']);

    const stuck = fakeServer([{ code: 425 }, { code: 425 }]);
    await expect(new CommunityClient(stuck.requests, server, generateIdentity().identity.seed, clock).roomInfo('lobby')).rejects.toThrow(/clock is too far/);
    expect(stuck.seen).toHaveLength(2);
  });

  it('refuses a reply that is not JSON', async () => {
    const { requests } = fakeServer([{ body: new Uint8Array(Buffer.from('<html>')) }]);
    await expect(new CommunityClient(requests, server, generateIdentity().identity.seed, at(Date.now())).roomInfo('lobby')).rejects.toThrow(
      'the community server answered room "lobby" with something that is not JSON',
    );
  });
});
