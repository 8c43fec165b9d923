// The group's Members config (namespace 14, domain "groups::Members"; groups.md 3): m → 33-byte Session ID → {n name (always written, so the entry never
// prunes away), p/q picture, A admin flag, I invite status, s invited with history, P promotion
// status, R removal pending}. Statuses: 1 sent, 2 failed, 3 not sent yet; absent = done.
import { binaryToBytes, binaryToText, textToBinary } from '../config/bencode';
import { ConfigDict, isConfigDict } from '../config/config-data';
import { ConfigKind } from '../config/config-envelope';
import { ConfigObject, ConfigSigningKeys } from '../config/config-object';
import { sessionIdFromKey, sessionIdKey } from '../config/session-id-key';
import { truncateUtf8 } from '../config/utf8';
import { ProfilePicture, setPicture } from '../config/text-fields';

export const GROUP_MEMBERS: ConfigKind = { namespace: 14, domain: 'groups::Members', compressionLevel: 1, wrapped: false };
export const MEMBER_NAME_MAX_BYTES = 100;

export const STATUS_SENT = 1;
export const STATUS_FAILED = 2;
export const STATUS_NOT_SENT = 3;
export const REMOVED_MEMBER = 1;
export const REMOVED_MEMBER_AND_MESSAGES = 2;

export interface GroupMember {
  sessionId: string;
  name: string;
  picture?: ProfilePicture;
  admin: boolean;
  /** 0 accepted; STATUS_SENT, STATUS_FAILED or STATUS_NOT_SENT while the invitation is out. */
  inviteStatus: number;
  /** Invited with the keys of past messages (a supplement) rather than a new key. */
  supplement: boolean;
  /** 0 none or accepted; a STATUS_* while a promotion is out. */
  promotionStatus: number;
  /** 0, REMOVED_MEMBER or REMOVED_MEMBER_AND_MESSAGES while a removal is pending. */
  removedStatus: number;
}

/** A member as libsession constructs one: invitation not sent yet. */
export function newMember(sessionId: string): GroupMember {
  sessionIdKey(sessionId);
  return { sessionId: sessionId.toLowerCase(), name: '', admin: false, inviteStatus: STATUS_NOT_SENT, supplement: false, promotionStatus: 0, removedStatus: 0 };
}

/** What a person sees of a member's state. */
export function memberStatus(m: GroupMember): string {
  if (m.removedStatus) return m.removedStatus === REMOVED_MEMBER_AND_MESSAGES ? 'being removed (with messages)' : 'being removed';
  if (m.admin) return m.promotionStatus === 0 ? 'admin' : `promoted (${statusWord(m.promotionStatus)})`;
  return m.inviteStatus === 0 ? 'member' : `invited (${statusWord(m.inviteStatus)})`;
}

function statusWord(status: number): string {
  return status === STATUS_SENT ? 'sent' : status === STATUS_FAILED ? 'failed' : 'not sent yet';
}

export class GroupMembers {
  readonly config: ConfigObject;

  constructor(signing: ConfigSigningKeys, dump?: Uint8Array) {
    this.config = new ConfigObject(GROUP_MEMBERS, undefined, dump, signing);
  }

  get(sessionId: string): GroupMember | undefined {
    const d = this.config.field('m', sessionIdKey(sessionId)).dict();
    return d ? loadMember(sessionId.toLowerCase(), d) : undefined;
  }

  getOrConstruct(sessionId: string): GroupMember {
    return this.get(sessionId) ?? newMember(sessionId);
  }

  /** Every member, in Session ID order (entries that are not 33-byte ids with a dict are skipped). */
  all(): GroupMember[] {
    const m = this.config.field('m').dict();
    if (!m) return [];
    return [...m.keys()]
      .filter((k) => k.length === 33 && isConfigDict(m.get(k)))
      .sort()
      .map((k) => loadMember(sessionIdFromKey(k), m.get(k) as ConfigDict));
  }

  sessionIds(): string[] {
    return this.all().map((m) => m.sessionId);
  }

  get size(): number {
    return this.config.field('m').dict()?.size ?? 0;
  }

  set(member: GroupMember): void {
    const at = (k: string) => this.config.field('m', sessionIdKey(member.sessionId), k);
    at('n').assign(textToBinary(truncateUtf8(member.name, MEMBER_NAME_MAX_BYTES)));
    setPicture(at('p'), at('q'), member.picture);
    at('A').flag(member.admin);
    at('P').positive(member.promotionStatus);
    at('I').positive(member.admin ? 0 : member.inviteStatus);
    at('s').flag(member.supplement);
    at('R').positive(member.removedStatus);
  }

  /** Returns whether the member was there. */
  erase(sessionId: string): boolean {
    const field = this.config.field('m', sessionIdKey(sessionId));
    const existed = field.exists();
    field.erase();
    return existed;
  }
}

function loadMember(sessionId: string, d: ConfigDict): GroupMember {
  const int = (k: string) => (typeof d.get(k) === 'bigint' ? Number(d.get(k)) : 0);
  const str = (k: string) => (typeof d.get(k) === 'string' ? (d.get(k) as string) : undefined);
  const url = str('p');
  const key = str('q');
  const admin = int('A') !== 0;
  const inviteStatus = admin ? 0 : int('I');
  const promotionStatus = int('P');
  return {
    sessionId,
    name: binaryToText(str('n') ?? ''),
    picture: url && key?.length === 32 ? { url: binaryToText(url), key: binaryToBytes(key) } : undefined,
    admin,
    inviteStatus,
    supplement: inviteStatus > 0 && !(admin || promotionStatus > 0) ? int('s') !== 0 : false,
    promotionStatus,
    removedStatus: int('R'),
  };
}
