// The joined communities: the list itself is synced in the account's UserGroups config (so every
// device and the Session apps share it); communities.json in the data folder adds what is this
// device's own per room: the room's name and description and the last seqno read, so `read` shows
// only what is new. A room joined on another device appears here with nothing read yet.
import { join } from 'path';
import { fromHex, toHex } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { canonicalBaseUrl } from '../config/community-url';
import { changeConfigs, readConfigs } from '../sync/config-changes';
import { ClientError } from '../network/errors';
import { CommunityServer, isRoomToken, joinUrlOf, parseJoinUrl } from './join-url';

const COMMUNITIES_FILE = 'communities.json';

export interface JoinedRoom {
  server: CommunityServer;
  room: string;
  name: string;
  description?: string;
  joinedAt: number;
  /** Highest message seqno seen by `read` (0 = nothing read yet). */
  lastSeqno: number;
}

export class CommunityStore {
  constructor(private readonly home: string) {}

  private get file(): string {
    return join(this.home, COMMUNITIES_FILE);
  }

  /** Rooms of this device, then rooms joined elsewhere (from the UserGroups config). */
  list(): JoinedRoom[] {
    const local = this.localRooms();
    const synced = readConfigs(new AccountStore(this.home).readState()).groups.communities();
    for (const c of synced) {
      const room: JoinedRoom = {
        ...parseJoinUrl(`${c.baseUrl}/${c.room}?public_key=${toHex(c.serverKey)}`),
        name: c.room,
        joinedAt: c.joinedAt * 1000,
        lastSeqno: 0,
      };
      if (!local.some((r) => sameRoom(r, room))) local.push(room);
    }
    return local;
  }

  /** Adds or refreshes a room (also in the synced list); the last seqno of a room joined before is kept. */
  save(room: Omit<JoinedRoom, 'lastSeqno' | 'joinedAt'>, now: number): JoinedRoom {
    this.addToSyncedList(room, now);
    const rooms = this.localRooms();
    const index = rooms.findIndex((r) => sameRoom(r, room));
    const saved: JoinedRoom = index >= 0 ? { ...rooms[index], ...room } : { ...room, joinedAt: now, lastSeqno: 0 };
    if (index >= 0) rooms[index] = saved;
    else rooms.push(saved);
    this.write(rooms);
    return saved;
  }

  setLastSeqno(room: JoinedRoom, seqno: number): void {
    const known = this.localRooms();
    const rooms = (known.some((r) => sameRoom(r, room)) ? known : [...known, room]).map((r) => (sameRoom(r, room) ? { ...r, lastSeqno: Math.max(r.lastSeqno, seqno) } : r));
    this.write(rooms);
  }

  /** A joined room by its token (when only one server has it) or by its join URL. */
  find(roomOrUrl: string): JoinedRoom {
    const rooms = this.list();
    if (isRoomToken(roomOrUrl)) {
      const matches = rooms.filter((r) => r.room === roomOrUrl.toLowerCase());
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) {
        throw new ClientError(`several joined communities have a room "${roomOrUrl}": give its URL (${matches.map((r) => joinUrlOf(r.server, r.room)).join(', ')})`, 'input');
      }
      throw new ClientError(`not joined to a room "${roomOrUrl}": run "starling community join <url>" first`, 'not_found');
    }
    const wanted = parseJoinUrl(roomOrUrl);
    const match = rooms.find((r) => sameRoom(r, wanted));
    if (!match) throw new ClientError(`not joined to ${joinUrlOf(wanted.server, wanted.room)}: run "starling community join <url>" first`, 'not_found');
    return match;
  }

  private localRooms(): JoinedRoom[] {
    const doc = readJsonIfExists(this.file);
    const rooms = doc?.rooms;
    if (doc && !Array.isArray(rooms)) throw new ClientError(`${this.file} is damaged (no rooms list); fix or remove it`, 'input');
    return (rooms ?? []) as JoinedRoom[];
  }

  /** Joined rooms go into UserGroups; the next network command pushes it to the other devices. */
  private addToSyncedList(room: { server: CommunityServer; room: string }, now: number): void {
    let baseUrl: string;
    try {
      baseUrl = canonicalBaseUrl(room.server.baseUrl);
    } catch {
      return; // a host the apps cannot key (e.g. no dot in it): this device only
    }
    const accounts = new AccountStore(this.home);
    const state = accounts.readState();
    const changed = changeConfigs(state, (configs) => {
      if (configs.groups.community(baseUrl, room.room)) return false;
      configs.groups.setCommunity({ baseUrl, room: room.room, serverKey: fromHex(room.server.x25519, 32), joinedAt: Math.floor(now / 1000) });
      return true;
    });
    if (changed) accounts.writeState(state);
  }

  private write(rooms: JoinedRoom[]): void {
    writeJsonAtomic(this.file, { rooms });
  }
}

function sameRoom(a: { server: CommunityServer; room: string }, b: { server: CommunityServer; room: string }): boolean {
  return a.room === b.room && sameBase(a.server.baseUrl, b.server.baseUrl) && a.server.x25519 === b.server.x25519;
}

function sameBase(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalBaseUrl(a) === canonicalBaseUrl(b);
  } catch {
    return false;
  }
}
