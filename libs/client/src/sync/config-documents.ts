// The two synced documents in the own swarm: the profile (namespace 2, domain "UserProfile") and
// contacts with block flags and disappearing settings (namespace 3, domain "Contacts").
//
// Not byte-compatible with libsession: real clients put a bencoded CRDT config there; Starling
// stores its own JSON document, encrypted exactly like a config message (client.md 9.5, key = the
// 32-byte Ed25519 seed), and resolves conflicts by "newest wins" on (seqno, updatedAt).
import {
  CONFIG_ENCRYPTION_OVERHEAD,
  decryptConfig,
  encryptConfig,
  isSessionId,
  padConfig,
  utf8,
} from '@starling/crypto';
import { Contact, ContactsDocument, ProfileDocument, Versioned } from '../account/account-state';
import { ALLOWED_TIMERS } from '../conversations/disappearing';

export const PROFILE_NAMESPACE = 2;
export const CONTACTS_NAMESPACE = 3;
export const CONFIG_NAMESPACES = [CONTACTS_NAMESPACE, PROFILE_NAMESPACE] as const;
export type ConfigNamespace = (typeof CONFIG_NAMESPACES)[number];

const DOMAINS: Record<ConfigNamespace, string> = { [PROFILE_NAMESPACE]: 'UserProfile', [CONTACTS_NAMESPACE]: 'Contacts' };
const FORMAT = 'starling-config-1';

export type ConfigDocument = ProfileDocument | ContactsDocument;

export class ConfigRejected extends Error {}

export function encodeConfig(seed32: Uint8Array, namespace: ConfigNamespace, document: ConfigDocument): Uint8Array {
  const json = utf8(JSON.stringify({ format: FORMAT, ...document }));
  // Zero bytes are prefixed, as libsession does, so the size says little about the contents.
  return encryptConfig(padConfig(json, CONFIG_ENCRYPTION_OVERHEAD), seed32, DOMAINS[namespace]);
}

/** Opens and checks a config message; anything else in the namespace is ConfigRejected. */
export function decodeConfig(seed32: Uint8Array, namespace: ConfigNamespace, data: Uint8Array): ConfigDocument {
  let parsed: unknown;
  try {
    const padded = decryptConfig(data, seed32, DOMAINS[namespace]);
    const start = padded.findIndex((b) => b !== 0);
    parsed = JSON.parse(Buffer.from(padded.subarray(start < 0 ? padded.length : start)).toString('utf8'));
  } catch (err) {
    throw new ConfigRejected(`not a config of ours (${(err as Error).message})`);
  }
  const doc = parsed as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || doc.format !== FORMAT) throw new ConfigRejected('unknown config format');
  if (!Number.isSafeInteger(doc.seqno) || !Number.isSafeInteger(doc.updatedAt)) throw new ConfigRejected('config without seqno');
  const version = { seqno: doc.seqno as number, updatedAt: doc.updatedAt as number };
  if (namespace === PROFILE_NAMESPACE) {
    if (doc.name !== undefined && typeof doc.name !== 'string') throw new ConfigRejected('profile name is not text');
    return doc.name === undefined ? version : { ...version, name: doc.name };
  }
  return { ...version, contacts: checkContacts(doc.contacts) };
}

function checkContacts(value: unknown): Record<string, Contact> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigRejected('contacts is not an object');
  const out: Record<string, Contact> = {};
  for (const [id, raw] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    if (!isSessionId(id) || typeof raw !== 'object' || raw === null) throw new ConfigRejected(`bad contact entry ${id.slice(0, 12)}`);
    const contact: Contact = {};
    if (typeof raw.name === 'string') contact.name = raw.name;
    if (raw.blocked === true) contact.blocked = true;
    const d = raw.disappearing as Record<string, unknown> | undefined;
    if (d !== undefined) {
      const validMode = d?.mode === 'after-send' || d?.mode === 'after-read';
      if (!validMode || !(ALLOWED_TIMERS as readonly unknown[]).includes(d.timerSeconds)) throw new ConfigRejected('bad disappearing setting');
      contact.disappearing = { mode: d.mode as 'after-send' | 'after-read', timerSeconds: d.timerSeconds as number };
    }
    out[id] = contact;
  }
  return out;
}

/** Newest wins: the higher seqno, then the later change; equal versions are the same document. */
export function isNewer(candidate: Versioned, current: Versioned): boolean {
  if (candidate.seqno !== current.seqno) return candidate.seqno > current.seqno;
  return candidate.updatedAt > current.updatedAt;
}

/** A local change: the next seqno, stamped with the (network) time of the change. */
export function nextVersion(current: Versioned, nowMs: number): Versioned {
  return { seqno: current.seqno + 1, updatedAt: Math.max(nowMs, current.updatedAt) };
}
