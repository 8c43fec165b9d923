// Contacts (namespace 3, domain "Contacts"), keys as in libsession contacts.hpp. Under "c", each
// contact is keyed by its 33-byte Session ID:
//   n name (always written, so the entry never prunes) · N nickname · p/q picture URL and key
//   a approved · A approved me · b blocked · + priority (-1 hidden) · @ notifications · ! muted until
//   e disappearing mode (1 after send, 2 after read) · E timer (s) · j created (unix s)
// Keys this client does not know stay in each contact's dict untouched.
import { binaryToBytes, binaryToText, bytesToBinary, textToBinary } from './bencode';
import { ConfigDict, isConfigDict } from './config-data';
import { ConfigKind } from './config-envelope';
import { ConfigObject, setPairIf } from './config-object';
import { sessionIdFromKey, sessionIdKey } from './session-id-key';
import { MAX_NAME_BYTES, ProfilePicture } from './user-profile';

export const CONTACTS: ConfigKind = { namespace: 3, domain: 'Contacts', compressionLevel: 1, wrapped: true };

export type ExpirationMode = 'none' | 'after-send' | 'after-read';
const EXPIRATION_CODES: Record<ExpirationMode, number> = { none: 0, 'after-send': 1, 'after-read': 2 };

/** Notification setting: default, all, disabled (mentions-only becomes all for 1:1). */
export type NotifyMode = 'default' | 'all' | 'disabled';
const NOTIFY_CODES: Record<NotifyMode, number> = { default: 0, all: 1, disabled: 2 };

export interface ContactInfo {
  sessionId: string;
  name: string;
  nickname: string;
  picture?: ProfilePicture;
  approved: boolean;
  approvedMe: boolean;
  blocked: boolean;
  priority: number;
  notifications: NotifyMode;
  muteUntil: number;
  expirationMode: ExpirationMode;
  expirationTimerSeconds: number;
  /** Unix seconds when the contact was added (0 = unknown). */
  created: number;
}

export function newContact(sessionId: string): ContactInfo {
  sessionIdKey(sessionId); // validates
  return {
    sessionId: sessionId.toLowerCase(),
    name: '',
    nickname: '',
    approved: false,
    approvedMe: false,
    blocked: false,
    priority: 0,
    notifications: 'default',
    muteUntil: 0,
    expirationMode: 'none',
    expirationTimerSeconds: 0,
    created: 0,
  };
}

const int = (d: ConfigDict, key: string): number => {
  const v = d.get(key);
  return typeof v === 'bigint' ? Number(v) : 0;
};
const str = (d: ConfigDict, key: string): string | undefined => {
  const v = d.get(key);
  return typeof v === 'string' ? v : undefined;
};

/** Reads a contact's dict the way libsession's contact_info::load does. */
function loadContact(sessionId: string, d: ConfigDict): ContactInfo {
  const c = newContact(sessionId);
  c.name = binaryToText(str(d, 'n') ?? '');
  c.nickname = binaryToText(str(d, 'N') ?? '');
  const url = str(d, 'p');
  const key = str(d, 'q');
  if (url && key?.length === 32) c.picture = { url: binaryToText(url), key: binaryToBytes(key) };
  c.approved = int(d, 'a') !== 0;
  c.approvedMe = int(d, 'A') !== 0;
  c.blocked = int(d, 'b') !== 0;
  c.priority = int(d, '+');
  const notify = int(d, '@');
  c.notifications = notify === 2 ? 'disabled' : notify === 1 || notify === 3 ? 'all' : 'default';
  c.muteUntil = int(d, '!');
  const mode = int(d, 'e');
  const timer = int(d, 'E');
  if ((mode === 1 || mode === 2) && timer > 0) {
    c.expirationMode = mode === 1 ? 'after-send' : 'after-read';
    c.expirationTimerSeconds = timer;
  }
  c.created = int(d, 'j');
  return c;
}

export class Contacts {
  constructor(readonly config: ConfigObject) {}

  get(sessionId: string): ContactInfo | undefined {
    const d = this.config.field('c', sessionIdKey(sessionId)).dict();
    return d ? loadContact(sessionId.toLowerCase(), d) : undefined;
  }

  getOrConstruct(sessionId: string): ContactInfo {
    return this.get(sessionId) ?? newContact(sessionId);
  }

  /** Every contact, in Session ID order. */
  all(): ContactInfo[] {
    const c = this.config.field('c').dict();
    if (!c) return [];
    return [...c.keys()]
      .sort()
      .flatMap((key) => {
        const d = c.get(key);
        return key.length === 33 && isConfigDict(d) ? [loadContact(sessionIdFromKey(key), d)] : [];
      });
  }

  /** Writes a contact (libsession Contacts::set): only changed fields start a new seqno. */
  set(contact: ContactInfo): void {
    const at = (k: string) => this.config.field('c', sessionIdKey(contact.sessionId), k);
    // Cut at 100 bytes as libsession does (set the fields with truncateUtf8 to keep whole characters).
    at('n').assign(textToBinary(contact.name).slice(0, MAX_NAME_BYTES));
    at('N').nonEmpty(textToBinary(contact.nickname).slice(0, MAX_NAME_BYTES));
    const pic = contact.picture && contact.picture.url !== '' && contact.picture.key.length === 32 ? contact.picture : undefined;
    setPairIf(!!pic, at('p'), pic ? textToBinary(pic.url) : '', at('q'), pic ? bytesToBinary(pic.key) : '');
    at('a').flag(contact.approved);
    at('A').flag(contact.approvedMe);
    at('b').flag(contact.blocked);
    at('+').nonZero(contact.priority);
    at('@').positive(NOTIFY_CODES[contact.notifications]);
    at('!').positive(contact.muteUntil);
    const expiring = contact.expirationMode !== 'none' && contact.expirationTimerSeconds > 0;
    setPairIf(expiring, at('e'), BigInt(EXPIRATION_CODES[contact.expirationMode]), at('E'), BigInt(contact.expirationTimerSeconds));
    at('j').positive(contact.created);
  }

  /** Applies `edit` to the contact (created if new) and writes it back. */
  update(sessionId: string, edit: (contact: ContactInfo) => void): ContactInfo {
    const contact = this.getOrConstruct(sessionId);
    edit(contact);
    this.set(contact);
    return contact;
  }

  erase(sessionId: string): boolean {
    const field = this.config.field('c', sessionIdKey(sessionId));
    const existed = field.exists();
    field.erase();
    return existed;
  }
}
