// UserGroups (namespace 5, domain "UserGroups"): the communities joined and the groups one is in
// (libsession user_groups.hpp). Common keys in each entry: + priority · j joined (unix s) ·
// @ notifications · ! muted until · i invited (pending).
//   o → base URL → {# server key (32 bytes), R → lower-case room → {n room name as written, ...}}
//   g → 33-byte 03-group id → {K group seed (empty when not admin), s auth data (100 bytes, non
//       admins), n name from the invitation, r removed status, ...}
//   C → legacy groups: kept as they are, not written by this client.
import { binaryToBytes, binaryToText, bytesToBinary, textToBinary } from './bencode';
import { ConfigDict, isConfigDict } from './config-data';
import { ConfigKind } from './config-envelope';
import { ConfigObject } from './config-object';
import { canonicalBaseUrl, canonicalRoom } from './community-url';
import { sessionIdFromKey, sessionIdKey } from './session-id-key';
import { ed25519KeyPairFromSeed } from '@starling/crypto';

export const USER_GROUPS: ConfigKind = { namespace: 5, domain: 'UserGroups', compressionLevel: 1, wrapped: true };
const NAME_MAX_BYTES = 100;

export interface GroupCommon {
  priority: number;
  /** Unix seconds (0 = unknown). */
  joinedAt: number;
  notifications: 'default' | 'all' | 'disabled' | 'mentions-only';
  muteUntil: number;
  invited: boolean;
}

export interface JoinedCommunity extends GroupCommon {
  baseUrl: string;
  /** The room token as the server writes it (the key is its lower-case form). */
  room: string;
  serverKey: Uint8Array;
}

export interface GroupEntry extends GroupCommon {
  /** "03" + the group's Ed25519 public key. */
  groupId: string;
  /** The 32-byte group seed when we are an admin. */
  adminSeed?: Uint8Array;
  /** The 100-byte sub-account authentication of a non-admin member. */
  authData?: Uint8Array;
  name: string;
  removedStatus: number;
}

const NOTIFY = ['default', 'all', 'disabled', 'mentions-only'] as const;

function common(d: ConfigDict): GroupCommon {
  const n = (k: string) => (typeof d.get(k) === 'bigint' ? Number(d.get(k)) : 0);
  const notify = n('@');
  return {
    priority: n('+'),
    joinedAt: Math.max(0, n('j')),
    notifications: NOTIFY[notify] ?? 'default',
    muteUntil: n('!'),
    invited: n('i') !== 0,
  };
}

export function defaultCommon(): GroupCommon {
  return { priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: false };
}

export class UserGroups {
  constructor(readonly config: ConfigObject) {}

  communities(): JoinedCommunity[] {
    const out: JoinedCommunity[] = [];
    const servers = this.config.field('o').dict();
    for (const base of sortedDictKeys(servers)) {
      const server = servers!.get(base) as ConfigDict;
      const key = server.get('#');
      const rooms = server.get('R');
      if (typeof key !== 'string' || key.length !== 32 || !isConfigDict(rooms)) continue;
      for (const token of sortedDictKeys(rooms)) {
        const d = rooms.get(token) as ConfigDict;
        const name = d.get('n');
        out.push({ baseUrl: base, room: typeof name === 'string' && name ? binaryToText(name) : token, serverKey: binaryToBytes(key), ...common(d) });
      }
    }
    return out;
  }

  community(baseUrl: string, room: string): JoinedCommunity | undefined {
    const base = canonicalBaseUrl(baseUrl);
    const token = canonicalRoom(room);
    return this.communities().find((c) => c.baseUrl === base && c.room.toLowerCase() === token);
  }

  /** Adds or updates a joined community (libsession UserGroups::set(community_info)). */
  setCommunity(c: Omit<JoinedCommunity, keyof GroupCommon> & Partial<GroupCommon>): void {
    if (c.serverKey.length !== 32) throw new RangeError('Invalid pubkey: expected a 32-byte pubkey');
    const base = canonicalBaseUrl(c.baseUrl);
    const token = canonicalRoom(c.room);
    this.config.field('o', base, '#').assign(bytesToBinary(c.serverKey));
    this.setCommon(['o', base, 'R', token], { ...defaultCommon(), ...c });
    this.config.field('o', base, 'R', token, 'n').assign(textToBinary(c.room));
  }

  eraseCommunity(baseUrl: string, room: string): boolean {
    const base = canonicalBaseUrl(baseUrl);
    const field = this.config.field('o', base, 'R', canonicalRoom(room));
    const existed = field.exists();
    field.erase();
    if (existed) {
      const rooms = this.config.field('o', base, 'R').dict();
      if (!rooms || rooms.size === 0) this.config.field('o', base).erase();
    }
    return existed;
  }

  groups(): GroupEntry[] {
    const groups = this.config.field('g').dict();
    return sortedDictKeys(groups).map((key) => loadGroup(sessionIdFromKey(key), groups!.get(key) as ConfigDict));
  }

  group(groupId: string): GroupEntry | undefined {
    const d = this.config.field('g', sessionIdKey(groupId, '03')).dict();
    return d ? loadGroup(groupId.toLowerCase(), d) : undefined;
  }

  /** Adds or updates a group (libsession UserGroups::set(group_info)). */
  setGroup(g: GroupEntry): void {
    const key = sessionIdKey(g.groupId, '03');
    const at = (k: string) => this.config.field('g', key, k);
    this.setCommon(['g', key], g);
    at('n').nonEmpty(textToBinary(g.name).slice(0, NAME_MAX_BYTES));
    at('r').positive(g.removedStatus);
    const adminMatches = g.adminSeed?.length === 32 && bytesToBinary(ed25519KeyPairFromSeed(g.adminSeed).publicKey) === key.slice(1);
    if (adminMatches) {
      at('K').assign(bytesToBinary(g.adminSeed!));
    } else {
      at('K').assign('');
      if (g.authData?.length === 100) at('s').assign(bytesToBinary(g.authData));
      else at('s').erase();
    }
  }

  eraseGroup(groupId: string): boolean {
    const field = this.config.field('g', sessionIdKey(groupId, '03'));
    const existed = field.exists();
    field.erase();
    return existed;
  }

  private setCommon(path: string[], c: GroupCommon): void {
    const at = (k: string) => this.config.field(...path, k);
    at('+').nonZero(c.priority);
    at('j').positive(c.joinedAt);
    at('@').positive(NOTIFY.indexOf(c.notifications));
    at('!').positive(c.muteUntil);
    at('i').flag(c.invited);
  }
}

function loadGroup(groupId: string, d: ConfigDict): GroupEntry {
  const seed = d.get('K');
  const auth = d.get('s');
  const name = d.get('n');
  const removed = d.get('r');
  return {
    groupId,
    ...common(d),
    adminSeed: typeof seed === 'string' && seed.length === 32 ? binaryToBytes(seed) : undefined,
    authData: typeof auth === 'string' && auth.length === 100 ? binaryToBytes(auth) : undefined,
    name: typeof name === 'string' ? binaryToText(name) : '',
    removedStatus: typeof removed === 'bigint' ? Number(removed) : 0,
  };
}

function sortedDictKeys(d: ConfigDict | undefined): string[] {
  return d ? [...d.keys()].filter((k) => isConfigDict(d.get(k))).sort() : [];
}
