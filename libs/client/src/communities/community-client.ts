// Requests to one community server (SOGS API v3, sogs-fileserver.md 1-3): each one a v4 request
// through an onion path, signed with X-SOGS-* headers as this account's 15-blinded id on that
// server (what current Session clients use, 2.4). Timestamps come from the network clock.
import { blind15Id, fromHex, signSogsRequest, type V4Response } from '@starling/crypto';
import type { ServerRequests } from '../attachments/file-transfer';
import { ClientError } from '../network/errors';
import type { SwarmAccess } from '../storage/swarm-access';
import type { CommunityServer } from './join-url';

/** What the server tells about a room (1.3); only the fields the client uses. */
export interface RoomInfo {
  token: string;
  name: string;
  description?: string;
  active_users: number;
  info_updates: number;
  message_sequence: number;
  read: boolean;
  write: boolean;
  moderators: string[];
  admins: string[];
  moderator?: boolean;
  admin?: boolean;
  pinned_messages?: Array<{ id: number; pinned_at: number; pinned_by: string }>;
}

export interface Reaction {
  index: number;
  count: number;
  reactors?: string[];
  you?: boolean;
}

/** A row of /messages/since (1.5): a message, a tombstone, or a reaction-only update. */
export interface MessageRow {
  id: number;
  seqno: number;
  session_id?: string;
  posted?: number;
  edited?: number;
  data?: string | null;
  signature?: string;
  deleted?: boolean;
  reactions?: Record<string, Reaction>;
}

export interface BanOptions {
  /** Seconds until the ban ends by itself; permanent when absent. */
  timeoutSeconds?: number;
  /** Every room of the server (needs a global moderator) instead of this room. */
  global?: boolean;
}

/** Network time in ms; the server refuses signatures too far from its clock (425). */
export interface Clock {
  now(): number;
  /** Learns the network time again (after a 425); the request is then signed once more. */
  resync?(): Promise<void>;
}

/**
 * The network clock of `swarm`, which learns from storage replies; a community server gives no
 * time, so after a 425 one storage `info` through the own swarm teaches it.
 */
export function networkClock(swarm: SwarmAccess, ownSessionId: string): Clock {
  return {
    now: () => swarm.clock.now(),
    resync: async () => {
      await swarm.request(ownSessionId, 'info', () => ({}));
    },
  };
}

/** Rows per since-poll; the server's maximum, so a caller sees "more" when it gets exactly this. */
export const SINCE_LIMIT = 256;

export class CommunityClient {
  private readonly serverPk: Uint8Array;

  constructor(
    private readonly requests: ServerRequests,
    private readonly server: CommunityServer,
    private readonly secret: Uint8Array,
    private readonly clock: Clock,
  ) {
    this.serverPk = fromHex(server.x25519, 32);
  }

  /** The id this account has on this server (it differs per server, by design). */
  get blindedId(): string {
    return blind15Id(this.secret, this.serverPk);
  }

  roomInfo(room: string): Promise<RoomInfo> {
    return this.call('GET', `/room/${room}`, `room "${room}"`) as Promise<RoomInfo>;
  }

  /** Changes after `seqno` in order: new and edited posts, tombstones, reaction updates. */
  async messagesSince(room: string, seqno: number): Promise<MessageRow[]> {
    const rows = await this.call('GET', `/room/${room}/messages/since/${seqno}?t=r&reactors=5&limit=${SINCE_LIMIT}`, `reading room "${room}"`);
    if (!Array.isArray(rows)) throw new ClientError(`the community server answered reading room "${room}" with no message list`);
    return rows as MessageRow[];
  }

  /** Posts signed data; `files` are ids uploaded to this room in the last hour, claimed by the post. */
  async post(room: string, data: Uint8Array, signature: Uint8Array, files: number[] = []): Promise<MessageRow> {
    const body: Record<string, unknown> = { data: Buffer.from(data).toString('base64'), signature: Buffer.from(signature).toString('base64') };
    if (files.length > 0) body.files = files;
    return (await this.call('POST', `/room/${room}/message`, `posting to room "${room}"`, body)) as MessageRow;
  }

  /** Adds (or with `remove` takes back) this account's reaction; true when something changed. */
  async react(room: string, messageId: number, emoji: string, remove = false): Promise<boolean> {
    // Raw UTF-8 in the endpoint: the server signs and routes the decoded path (1.6).
    const endpoint = `/room/${room}/reaction/${messageId}/${emoji}`;
    const what = `${remove ? 'removing the reaction from' : 'reacting to'} message ${messageId}`;
    const reply = (await this.call(remove ? 'DELETE' : 'PUT', endpoint, what, remove ? undefined : {})) as { added?: boolean; removed?: boolean };
    return (remove ? reply.removed : reply.added) === true;
  }

  async deleteMessage(room: string, messageId: number): Promise<void> {
    await this.call('DELETE', `/room/${room}/message/${messageId}`, `deleting message ${messageId}`);
  }

  async ban(room: string, sessionId: string, options: BanOptions = {}): Promise<void> {
    const body: Record<string, unknown> = options.global ? { global: true } : { rooms: [room] };
    if (options.timeoutSeconds !== undefined) body.timeout = options.timeoutSeconds;
    await this.call('POST', `/user/${sessionId}/ban`, `banning ${sessionId}`, body);
  }

  async unban(room: string, sessionId: string, global = false): Promise<void> {
    await this.call('POST', `/user/${sessionId}/unban`, `unbanning ${sessionId}`, global ? { global: true } : { rooms: [room] });
  }

  /** Uploads a (client-encrypted) file to the room; it expires within the hour unless a post claims it. */
  async uploadFile(room: string, blob: Uint8Array, fileName?: string): Promise<number> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': fileName ? `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` : 'attachment',
    };
    const response = await this.exchange('POST', `/room/${room}/file`, `the upload to room "${room}"`, blob, headers);
    const reply = parseJson(response, `the upload to room "${room}"`) as { id?: unknown };
    if (typeof reply?.id !== 'number') throw new ClientError(`the community server answered the upload to room "${room}" without a file id`);
    return reply.id;
  }

  async downloadFile(room: string, fileId: number): Promise<Uint8Array> {
    return (await this.exchange('GET', `/room/${room}/file/${fileId}`, `the download of file ${fileId}`)).body;
  }

  async pin(room: string, messageId: number): Promise<void> {
    await this.call('POST', `/room/${room}/pin/${messageId}`, `pinning message ${messageId}`, {});
  }

  async unpin(room: string, messageId: number): Promise<boolean> {
    const reply = (await this.call('POST', `/room/${room}/unpin/${messageId}`, `unpinning message ${messageId}`, {})) as { unpinned?: boolean };
    return reply.unpinned === true;
  }

  /** One signed request; its JSON reply, or a one-line ClientError saying what the server refused. */
  private async call(method: string, endpoint: string, what: string, json?: unknown): Promise<unknown> {
    const body = json === undefined ? undefined : new Uint8Array(Buffer.from(JSON.stringify(json), 'utf8'));
    const headers: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
    return parseJson(await this.exchange(method, endpoint, what, body, headers), what);
  }

  /** One signed request, again once after a 425; a 2xx response or a one-line ClientError. */
  private async exchange(method: string, endpoint: string, what: string, body?: Uint8Array, headers: Record<string, string> = {}): Promise<V4Response> {
    let response = await this.send(method, endpoint, body, headers);
    if (response.code === 425 && this.clock.resync) {
      await this.clock.resync();
      response = await this.send(method, endpoint, body, headers);
    }
    if (response.code < 200 || response.code > 299) throw refusal(response, what);
    return response;
  }

  /** Signs at the current network time, so a retry after a resync gets a fresh timestamp and nonce. */
  private send(method: string, endpoint: string, body: Uint8Array | undefined, extraHeaders: Record<string, string>): Promise<V4Response> {
    const auth = signSogsRequest(
      this.secret,
      { serverPk: this.serverPk, timestamp: Math.floor(this.clock.now() / 1000), method, path: endpoint, body },
      'blind15',
    );
    const headers: Record<string, string> = { ...extraHeaders, ...auth };
    return this.requests.serverRequest(
      { host: this.server.host, port: this.server.port, protocol: this.server.protocol, x25519: this.server.x25519 },
      { meta: { method, endpoint, headers }, body },
    );
  }
}

function parseJson(response: V4Response, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(response.body).toString('utf8'));
  } catch {
    throw new ClientError(`the community server answered ${what} with something that is not JSON`);
  }
}

/** Status codes of the SOGS API (1.1) as a sentence for the person at the terminal. */
function refusal(response: V4Response, what: string): ClientError {
  const said = Buffer.from(response.body.subarray(0, 200)).toString('utf8').replace(/\s+/g, ' ').trim();
  const detail = said ? `: ${said}` : '';
  switch (response.code) {
    case 403:
      if (said === 'Banned') return new ClientError(`the community server refused ${what}: you are banned from this server (403)`, 'refused');
      return new ClientError(`the community server refused ${what}: permission denied (403${detail})`, 'refused');
    case 404:
      // A banned user's rooms become invisible to them: the server cannot tell them apart (1.9).
      if (said === 'No such room') return new ClientError(`the community server refused ${what}: the room does not exist, or you may not see it (404)`, 'not_found');
      return new ClientError(`the community server refused ${what}: no such room, message or user (404${detail})`, 'not_found');
    case 425:
      return new ClientError(`the community server refused ${what}: our clock is too far from the server's (425)`, 'clock');
    case 429:
      return new ClientError(`the community server refused ${what}: rate limited or rejected (429${detail})`, 'refused');
    default:
      return new ClientError(`the community server refused ${what}: ${response.code}${detail}`, response.code >= 500 ? 'network' : 'refused');
  }
}
