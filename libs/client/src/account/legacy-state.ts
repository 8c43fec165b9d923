// Data folders written before the configs moved to libsession's format held the profile and the
// contacts as our own JSON documents ("profile", "contacts", "unsynced", "configHashes" in
// account.json). They become the UserProfile and Contacts configs, marked changed so the next
// network command stores them for the apps to read; the hashes of the old JSON messages in the
// swarm are handed to those configs as obsolete, so that same push deletes them.
import { AccountConfigs } from '../config/account-configs';
import { AccountState, Contact, emptyAccountState } from './account-state';

interface LegacyContact extends Contact {
  name?: string;
}

export function isLegacyState(raw: Record<string, unknown>): boolean {
  return raw.configs === undefined && (raw.profile !== undefined || raw.contacts !== undefined || raw.configHashes !== undefined);
}

/** The state of a legacy account.json; throws on fields of the wrong kind (a damaged file). */
export function migrateLegacyState(raw: Record<string, unknown>): AccountState {
  const state = emptyAccountState();
  const configs = new AccountConfigs(state.configs);
  const profile = raw.profile as { name?: unknown } | undefined;
  if (typeof profile?.name === 'string' && profile.name !== '') configs.profile.setNameTruncated(profile.name);
  const contacts = (raw.contacts as { contacts?: unknown } | undefined)?.contacts;
  if (contacts !== undefined && (typeof contacts !== 'object' || contacts === null || Array.isArray(contacts))) throw new TypeError('contacts');
  for (const [sessionId, value] of Object.entries((contacts ?? {}) as Record<string, LegacyContact>)) {
    if (typeof value !== 'object' || value === null) throw new TypeError(`contact ${sessionId.slice(0, 8)}`);
    configs.contacts.update(sessionId, (c) => {
      if (typeof value.name === 'string') c.name = value.name;
      c.blocked = value.blocked === true;
      // Before, a contact existed because we wrote to them (or blocked them): writing approves.
      c.approved = value.blocked !== true;
      if (value.disappearing) {
        c.expirationMode = value.disappearing.mode;
        c.expirationTimerSeconds = value.disappearing.timerSeconds;
      }
    });
  }
  const hashes = (raw.configHashes ?? {}) as Record<string, unknown>;
  for (const [namespace, list] of Object.entries(hashes)) {
    if (!Array.isArray(list)) throw new TypeError('configHashes');
    if (namespace === '2' || namespace === '3') configs.config(Number(namespace)).addObsolete(list.filter((h): h is string => typeof h === 'string'));
  }
  configs.saveInto(state.configs);
  return state;
}
