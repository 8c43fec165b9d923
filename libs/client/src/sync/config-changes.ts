// Local changes and reads of the account's configs, on the dumps in the account state. A change
// only starts a new seqno when a value really changes (libsession's rule); the next network
// command pushes it (sync/config-sync.ts).
import { AccountState, Contact, DisappearingSetting } from '../account/account-state';
import { AccountConfigs } from '../config/account-configs';
import { ContactInfo } from '../config/contacts';

/** Opens the configs of `state`, runs `change`, and writes back the configs it changed. */
export function changeConfigs<T>(state: AccountState, change: (configs: AccountConfigs) => T): T {
  const configs = new AccountConfigs(state.configs);
  const result = change(configs);
  configs.saveInto(state.configs);
  return result;
}

// Reads happen per message while polling; the parsed configs are reused while the dumps are the same.
let cached: { dumps: string; configs: AccountConfigs } | undefined;

/** The configs of `state` for reading (do not change them: use changeConfigs). */
export function readConfigs(state: AccountState): AccountConfigs {
  const dumps = JSON.stringify(state.configs);
  if (cached?.dumps !== dumps) cached = { dumps, configs: new AccountConfigs(state.configs) };
  return cached.configs;
}

export function profileName(state: AccountState): string | undefined {
  return readConfigs(state).profile.name;
}

export function setProfileName(state: AccountState, name: string, _nowMs?: number): void {
  changeConfigs(state, (c) => c.profile.setName(name));
}

export function contactOf(state: AccountState, sessionId: string): Contact | undefined {
  const info = readConfigs(state).contacts.get(sessionId);
  return info && toContact(info);
}

/** Every contact by Session ID, in Session ID order. */
export function contactList(state: AccountState): Array<[string, Contact]> {
  return readConfigs(state).contacts.all().map((info) => [info.sessionId, toContact(info)]);
}

/**
 * Applies `edit` to the contact (created, approved by us, if new). Returns false when nothing
 * changed (and then nothing is written).
 */
export function editContact(state: AccountState, sessionId: string, edit: (contact: Contact) => void, nowMs: number): boolean {
  return changeConfigs(state, (configs) => {
    const existing = configs.contacts.get(sessionId);
    const contact: Contact = existing ? toContact(existing) : {};
    const before = JSON.stringify(contact);
    edit(contact);
    if (existing && JSON.stringify(contact) === before) return false;
    configs.contacts.update(sessionId, (info) => {
      applyContact(info, contact);
      if (!existing) info.created = Math.floor(nowMs / 1000);
    });
    return true;
  });
}

export function isBlocked(state: AccountState, sessionId: string): boolean {
  return readConfigs(state).contacts.get(sessionId)?.blocked === true;
}

function toContact(info: ContactInfo): Contact {
  const c: Contact = {};
  if (info.name) c.name = info.name;
  if (info.nickname) c.nickname = info.nickname;
  if (info.approved) c.approved = true;
  if (info.approvedMe) c.approvedMe = true;
  if (info.blocked) c.blocked = true;
  const disappearing = disappearingOf(info);
  if (disappearing) c.disappearing = disappearing;
  return c;
}

function disappearingOf(info: ContactInfo): DisappearingSetting | undefined {
  if (info.expirationMode === 'none') return undefined;
  return { mode: info.expirationMode, timerSeconds: info.expirationTimerSeconds };
}

function applyContact(info: ContactInfo, c: Contact): void {
  info.name = c.name ?? '';
  info.nickname = c.nickname ?? '';
  info.approved = c.approved === true;
  info.approvedMe = c.approvedMe === true;
  info.blocked = c.blocked === true;
  info.expirationMode = c.disappearing?.mode ?? 'none';
  info.expirationTimerSeconds = c.disappearing?.timerSeconds ?? 0;
}
