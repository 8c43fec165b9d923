// What one device keeps about its account besides the seed. The account's settings live in its
// four config messages (config/, libsession's format), kept here as dumps and synced through the
// own swarm by sync/; poll.json is this device's own.
import type { ConfigDumps } from '../config/account-configs';

export type DisappearingMode = 'after-send' | 'after-read';

export interface DisappearingSetting {
  mode: DisappearingMode;
  timerSeconds: number;
}

/** A contact as the client's commands see it (read from and written to the Contacts config). */
export interface Contact {
  /** The name the contact gave in their profile. */
  name?: string;
  /** Our own name for them. */
  nickname?: string;
  /** We accepted them (sent a message or accepted their request). */
  approved?: boolean;
  /** They accepted us. */
  approvedMe?: boolean;
  blocked?: boolean;
  /** Per-conversation disappearing messages (client.md 4: kept with the contact). */
  disappearing?: DisappearingSetting;
}

export interface AccountState {
  /** Dumps of UserProfile, Contacts, ConvoInfoVolatile and UserGroups, by namespace. */
  configs: ConfigDumps;
}

export interface PollState {
  /** last_hash per "<node ed25519>:<namespace>": retrieve continues after it on that node. */
  lastHashes: Record<string, string>;
  /** Hashes already handled, oldest first, bounded (a node may resend from the start). */
  seen: string[];
}

export function emptyAccountState(): AccountState {
  return { configs: {} };
}

export function emptyPollState(): PollState {
  return { lastHashes: {}, seen: [] };
}
