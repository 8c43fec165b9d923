// Local edits of the synced documents. Each edit takes the next seqno and marks the namespace
// unsynced; the next network command pushes it (sync/config-sync.ts).
import { AccountState, Contact, ContactsDocument } from '../account/account-state';
import { CONTACTS_NAMESPACE, nextVersion, PROFILE_NAMESPACE } from './config-documents';

export function setProfileName(state: AccountState, name: string, nowMs: number): void {
  state.profile = { ...nextVersion(state.profile, nowMs), name };
  markUnsynced(state, PROFILE_NAMESPACE);
}

/** Applies `edit` to the contact (created if new); no change, no new version. */
export function editContact(state: AccountState, sessionId: string, edit: (contact: Contact) => void, nowMs: number): boolean {
  const before = JSON.stringify(state.contacts.contacts[sessionId] ?? null);
  const contact: Contact = { ...(state.contacts.contacts[sessionId] ?? {}) };
  edit(contact);
  if (JSON.stringify(contact) === before) return false;
  const contacts: ContactsDocument = { ...nextVersion(state.contacts, nowMs), contacts: { ...state.contacts.contacts, [sessionId]: contact } };
  state.contacts = contacts;
  markUnsynced(state, CONTACTS_NAMESPACE);
  return true;
}

export function isBlocked(state: AccountState, sessionId: string): boolean {
  return state.contacts.contacts[sessionId]?.blocked === true;
}

function markUnsynced(state: AccountState, namespace: number): void {
  if (!state.unsynced.includes(namespace)) state.unsynced.push(namespace);
}
