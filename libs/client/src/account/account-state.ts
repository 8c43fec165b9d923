// What one device keeps about its account besides the seed. Profile and contacts are the two
// synced documents (sync/ pushes them to the own swarm); the rest is this device's own.

export type DisappearingMode = 'after-send' | 'after-read';

export interface DisappearingSetting {
  mode: DisappearingMode;
  timerSeconds: number;
}

export interface Contact {
  /** The name the contact gave in their last message's profile. */
  name?: string;
  blocked?: boolean;
  /** Per-conversation disappearing messages (client.md 4: kept with the contact). */
  disappearing?: DisappearingSetting;
}

/** A synced document: the newest (seqno, then updatedAt) wins on every device. */
export interface Versioned {
  seqno: number;
  /** Network time (ms) of the change. */
  updatedAt: number;
}

export interface ProfileDocument extends Versioned {
  name?: string;
}

export interface ContactsDocument extends Versioned {
  contacts: Record<string, Contact>;
}

export interface AccountState {
  profile: ProfileDocument;
  contacts: ContactsDocument;
  /** Namespaces whose document changed here and is not in the swarm yet. */
  unsynced: number[];
  /** Hashes of the config messages this device knows in each namespace (to delete superseded ones). */
  configHashes: Record<string, string[]>;
}

export interface PollState {
  /** last_hash per "<node ed25519>:<namespace>": retrieve continues after it on that node. */
  lastHashes: Record<string, string>;
  /** Hashes already handled, oldest first, bounded (a node may resend from the start). */
  seen: string[];
}

export function emptyAccountState(): AccountState {
  return {
    profile: { seqno: 0, updatedAt: 0 },
    contacts: { seqno: 0, updatedAt: 0, contacts: {} },
    unsynced: [],
    configHashes: {},
  };
}

export function emptyPollState(): PollState {
  return { lastHashes: {}, seen: [] };
}
