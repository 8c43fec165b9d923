// The local data folder of one device (default ~/.starling): the seed, the account state and the
// polling state. The seed never leaves this folder; files are 0600, the folder 0700, and every
// write is atomic (temp file + rename).
import { chmodSync, mkdirSync, statSync } from 'fs';
import { join } from 'path';
import { fromHex, Identity, identityFromSeed, toHex } from '@starling/crypto';
import { ClientError } from '../network/errors';
import { AccountState, emptyAccountState, emptyPollState, PollState } from './account-state';
import { isLegacyState, migrateLegacyState } from './legacy-state';
import { readJsonIfExists, readTextIfExists, writeFileAtomic, writeJsonAtomic } from './json-file';

const IDENTITY_FILE = 'identity';
const ACCOUNT_FILE = 'account.json';
const POLL_FILE = 'poll.json';
/** How many handled message hashes a device remembers (older ones have long left the swarm). */
export const SEEN_HASHES_KEPT = 5000;

export class AccountStore {
  private cachedIdentity?: Identity;

  constructor(readonly home: string) {}

  hasIdentity(): boolean {
    return readTextIfExists(join(this.home, IDENTITY_FILE)) !== undefined;
  }

  /** Writes the seed of a new or restored account; refuses to replace an existing one. */
  createIdentity(seed: Uint8Array): Identity {
    this.refuseExistingAccount();
    const identity = identityFromSeed(seed);
    this.ensureFolder();
    writeFileAtomic(join(this.home, IDENTITY_FILE), toHex(seed) + '\n');
    this.cachedIdentity = identity;
    return identity;
  }

  /** A data folder holds one account; a second one is never written over it. */
  refuseExistingAccount(): void {
    if (this.hasIdentity()) {
      throw new ClientError(`${this.home} already holds an account; use another --home or remove it first`, 'input');
    }
  }

  identity(): Identity {
    if (this.cachedIdentity) return this.cachedIdentity;
    const text = readTextIfExists(join(this.home, IDENTITY_FILE));
    if (text === undefined) throw new ClientError(`no account in ${this.home}: run "starling init" or "starling restore" first`, 'not_found');
    let seed: Uint8Array;
    try {
      const hex = text.trim();
      if (hex.length !== 32 && hex.length !== 64) throw new Error('length');
      seed = fromHex(hex);
    } catch {
      throw new ClientError(`${join(this.home, IDENTITY_FILE)} is damaged (not a 16- or 32-byte hex seed); restore from your recovery phrase`, 'input');
    }
    this.cachedIdentity = identityFromSeed(seed);
    return this.cachedIdentity;
  }

  /** The seed as stored: 16 bytes for every current account, 32 for accounts from 2020. */
  accountSeed(): Uint8Array {
    const { seed } = this.identity();
    return seed.subarray(16).every((b) => b === 0) ? seed.slice(0, 16) : seed;
  }

  readState(): AccountState {
    const file = join(this.home, ACCOUNT_FILE);
    const raw = readJsonIfExists(file);
    if (raw === undefined) return emptyAccountState();
    if (isLegacyState(raw)) {
      let migrated: AccountState;
      try {
        migrated = migrateLegacyState(raw);
      } catch (err) {
        throw new ClientError(`${file} is damaged (${(err as Error).message}); fix or remove it`, 'input');
      }
      // Kept once converted; the old file stays beside it until then.
      writeJsonAtomic(join(this.home, `${ACCOUNT_FILE}.before-configs`), raw);
      this.writeState(migrated);
      return migrated;
    }
    return checkShape(raw, emptyAccountState(), file);
  }

  writeState(state: AccountState): void {
    this.ensureFolder();
    writeJsonAtomic(join(this.home, ACCOUNT_FILE), state);
  }

  /** Reads, changes and writes the account state in one step. */
  updateState<T>(change: (state: AccountState) => T): T {
    const state = this.readState();
    const result = change(state);
    this.writeState(state);
    return result;
  }

  readPollState(): PollState {
    const raw = readJsonIfExists(join(this.home, POLL_FILE));
    if (raw === undefined) return emptyPollState();
    return checkShape(raw, emptyPollState(), join(this.home, POLL_FILE));
  }

  writePollState(state: PollState): void {
    this.ensureFolder();
    if (state.seen.length > SEEN_HASHES_KEPT) state.seen = state.seen.slice(-SEEN_HASHES_KEPT);
    writeJsonAtomic(join(this.home, POLL_FILE), state);
  }

  private ensureFolder(): void {
    mkdirSync(this.home, { recursive: true, mode: 0o700 });
    // A folder that existed with wider permissions is narrowed: it holds the seed.
    if ((statSync(this.home).mode & 0o077) !== 0) chmodSync(this.home, 0o700);
  }
}

/** Fills missing fields from `defaults`; a field of the wrong kind means the file is damaged. */
function checkShape<T extends object>(raw: Record<string, unknown>, defaults: T, file: string): T {
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = raw[key];
    if (value === undefined) continue;
    const sameKind = Array.isArray(fallback) ? Array.isArray(value) : typeof value === typeof fallback && !Array.isArray(value) && value !== null;
    if (!sameKind) throw new ClientError(`${file} is damaged (field "${key}"); fix or remove it`, 'input');
    out[key] = value;
  }
  return out as T;
}
