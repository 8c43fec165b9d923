// ConvoInfoVolatile (namespace 4, domain "ConvoInfoVolatile"): when each conversation was last
// read (ms) and whether it is marked unread (libsession convo_info_volatile.hpp):
//   1 → 33-byte Session ID → {r, u}        one-to-one
//   o → base URL → {# server key, R → lower-case room → {r, u}}   communities
//   g → 33-byte 03-group id → {r, u}       groups
//   C → 33-byte legacy group id → {r, u}   legacy groups (kept, not written by this client)
// Read times older than 30 days are not recorded, and entries older than 45 days (and not marked
// unread) are dropped before each push, as libsession does.
import { binaryToBytes, bytesToBinary } from './bencode';
import { ConfigDict, isConfigDict } from './config-data';
import { ConfigKind } from './config-envelope';
import { ConfigObject, Field, PushData } from './config-object';
import { canonicalBaseUrl, canonicalRoom } from './community-url';
import { sessionIdFromKey, sessionIdKey } from './session-id-key';

export const CONVO_INFO_VOLATILE: ConfigKind = { namespace: 4, domain: 'ConvoInfoVolatile', compressionLevel: 1, wrapped: true };
const DAY_MS = 24 * 3600 * 1000;
export const PRUNE_LOW_MS = 30 * DAY_MS;
export const PRUNE_HIGH_MS = 45 * DAY_MS;

export interface ReadState {
  /** Unix ms of the last message read (0 = none). */
  lastRead: number;
  unread: boolean;
}

export type Conversation =
  | ({ type: 'one-to-one'; sessionId: string } & ReadState)
  | ({ type: 'community'; baseUrl: string; room: string; serverKey?: Uint8Array } & ReadState)
  | ({ type: 'group'; groupId: string } & ReadState);

function readState(d: ConfigDict): ReadState {
  const r = d.get('r');
  const u = d.get('u');
  return { lastRead: typeof r === 'bigint' ? Number(r) : 0, unread: typeof u === 'bigint' && u !== 0n };
}

export class ConvoInfoVolatile {
  constructor(
    readonly config: ConfigObject,
    private readonly nowMs: () => number = Date.now,
  ) {}

  oneToOne(sessionId: string): ReadState | undefined {
    const d = this.config.field('1', sessionIdKey(sessionId)).dict();
    return d ? readState(d) : undefined;
  }

  community(baseUrl: string, room: string): (ReadState & { serverKey?: Uint8Array }) | undefined {
    const base = canonicalBaseUrl(baseUrl);
    const d = this.config.field('o', base, 'R', canonicalRoom(room)).dict();
    if (!d) return undefined;
    const key = this.config.field('o', base, '#').string();
    return { ...readState(d), serverKey: key?.length === 32 ? binaryToBytes(key) : undefined };
  }

  group(groupId: string): ReadState | undefined {
    const d = this.config.field('g', sessionIdKey(groupId, '03')).dict();
    return d ? readState(d) : undefined;
  }

  setOneToOne(sessionId: string, state: ReadState): void {
    this.setBase(['1', sessionIdKey(sessionId)], state);
  }

  setCommunity(baseUrl: string, room: string, serverKey: Uint8Array, state: ReadState): void {
    if (serverKey.length !== 32) throw new RangeError('Invalid pubkey: expected a 32-byte pubkey');
    const base = canonicalBaseUrl(baseUrl);
    const token = canonicalRoom(room);
    this.config.field('o', base, '#').assign(bytesToBinary(serverKey));
    this.setBase(['o', base, 'R', token], state);
  }

  setGroup(groupId: string, state: ReadState): void {
    this.setBase(['g', sessionIdKey(groupId, '03')], state);
  }

  eraseOneToOne(sessionId: string): boolean {
    return eraseField(this.config.field('1', sessionIdKey(sessionId)));
  }

  eraseCommunity(baseUrl: string, room: string): boolean {
    const base = canonicalBaseUrl(baseUrl);
    const gone = eraseField(this.config.field('o', base, 'R', canonicalRoom(room)));
    if (gone) {
      // The last room of a server takes the server (and its key) with it.
      const rooms = this.config.field('o', base, 'R');
      if (!rooms.dict() || rooms.dict()!.size === 0) {
        rooms.erase();
        this.config.field('o', base).erase();
      }
    }
    return gone;
  }

  eraseGroup(groupId: string): boolean {
    return eraseField(this.config.field('g', sessionIdKey(groupId, '03')));
  }

  all(): Conversation[] {
    const out: Conversation[] = [];
    for (const [key, d] of entries(this.config.field('1').dict())) out.push({ type: 'one-to-one', sessionId: sessionIdFromKey(key), ...readState(d) });
    for (const [base, server] of entries(this.config.field('o').dict())) {
      const key = server.get('#');
      const serverKey = typeof key === 'string' && key.length === 32 ? binaryToBytes(key) : undefined;
      const rooms = server.get('R');
      for (const [room, d] of entries(isConfigDict(rooms) ? rooms : undefined)) out.push({ type: 'community', baseUrl: base, room, serverKey, ...readState(d) });
    }
    for (const [key, d] of entries(this.config.field('g').dict())) out.push({ type: 'group', groupId: sessionIdFromKey(key), ...readState(d) });
    return out;
  }

  /** Drops conversations read more than `maxAgeMs` ago that are not marked unread. */
  pruneStale(maxAgeMs = PRUNE_HIGH_MS): void {
    const cutoff = this.nowMs() - maxAgeMs;
    for (const c of this.all()) {
      if (c.unread || c.lastRead >= cutoff) continue;
      if (c.type === 'one-to-one') this.eraseOneToOne(c.sessionId);
      else if (c.type === 'community') this.eraseCommunity(c.baseUrl, c.room);
    }
    for (const [key, d] of entries(this.config.field('C').dict())) {
      const s = readState(d);
      if (!s.unread && s.lastRead < cutoff) this.config.field('C', key).erase();
    }
  }

  /** libsession prunes stale entries before every push of this config. */
  push(): PushData {
    this.pruneStale();
    return this.config.push();
  }

  private setBase(path: string[], state: ReadState): void {
    const r = this.config.field(...path, 'r');
    const current = r.integer();
    // Moving a read time back is allowed (after a delete); a new one only if it is recent.
    if ((current !== undefined && BigInt(state.lastRead) < current) || state.lastRead > this.nowMs() - PRUNE_LOW_MS) r.assign(state.lastRead);
    this.config.field(...path, 'u').flag(state.unread);
  }
}

function eraseField(field: Field): boolean {
  const existed = field.exists();
  field.erase();
  return existed;
}

function* entries(d: ConfigDict | undefined): Generator<[string, ConfigDict]> {
  if (!d) return;
  for (const key of [...d.keys()].sort()) {
    const v = d.get(key);
    if (isConfigDict(v)) yield [key, v];
  }
}
