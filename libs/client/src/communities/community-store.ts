// The joined communities of this device, in communities.json in the data folder (written
// atomically like the rest of account/). Per room: the server, the room's name, and the last
// seqno read, so `read` shows only what is new.
import { join } from 'path';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
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

  list(): JoinedRoom[] {
    const doc = readJsonIfExists(this.file);
    const rooms = doc?.rooms;
    if (doc && !Array.isArray(rooms)) throw new ClientError(`${this.file} is damaged (no rooms list); fix or remove it`, 'input');
    return (rooms ?? []) as JoinedRoom[];
  }

  /** Adds or refreshes a room; the last seqno of a room joined before is kept. */
  save(room: Omit<JoinedRoom, 'lastSeqno' | 'joinedAt'>, now: number): JoinedRoom {
    const rooms = this.list();
    const index = rooms.findIndex((r) => sameRoom(r, room));
    const saved: JoinedRoom = index >= 0 ? { ...rooms[index], ...room } : { ...room, joinedAt: now, lastSeqno: 0 };
    if (index >= 0) rooms[index] = saved;
    else rooms.push(saved);
    this.write(rooms);
    return saved;
  }

  setLastSeqno(room: JoinedRoom, seqno: number): void {
    const rooms = this.list().map((r) => (sameRoom(r, room) ? { ...r, lastSeqno: Math.max(r.lastSeqno, seqno) } : r));
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
      throw new ClientError(`not joined to a room "${roomOrUrl}": run "starling community join <url>" first`, 'input');
    }
    const wanted = parseJoinUrl(roomOrUrl);
    const match = rooms.find((r) => sameRoom(r, wanted));
    if (!match) throw new ClientError(`not joined to ${joinUrlOf(wanted.server, wanted.room)}: run "starling community join <url>" first`, 'input');
    return match;
  }

  private write(rooms: JoinedRoom[]): void {
    writeJsonAtomic(this.file, { rooms });
  }
}

function sameRoom(a: { server: CommunityServer; room: string }, b: { server: CommunityServer; room: string }): boolean {
  return a.room === b.room && a.server.baseUrl === b.server.baseUrl && a.server.x25519 === b.server.x25519;
}
