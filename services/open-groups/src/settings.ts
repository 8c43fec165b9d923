// The injection tokens every feature shares, and the server's settings in the units the domain
// uses (seconds, as every SOGS timestamp), derived once from the typed configuration.
import type { X25519KeyPair } from '@starling/crypto';
import { join } from 'path';
import type { OpenGroupsConfig } from './config';

/** The typed configuration (OpenGroupsConfig). */
export const OPEN_GROUPS_CONFIG = Symbol('OpenGroupsConfig');
/** ServerSettings. */
export const SETTINGS = Symbol('ServerSettings');
/** Clock: unix time in float seconds (tests move it). */
export const CLOCK = Symbol('Clock');
/** The server's X25519 key pair (X25519KeyPair): onion key, join URL key, signed-request key. */
export const SERVER_KEYS = Symbol('ServerKeys');

export type Clock = () => number;
export type ServerKeys = X25519KeyPair;

const DAY = 86400;

export interface ServerSettings {
  requireBlinding: boolean;
  /** Seconds; 0 = attachments never expire once claimed. */
  fileExpirySeconds: number;
  /** How long after upload a file can still be claimed by a post. */
  uploadClaimSeconds: number;
  maxFileBytes: number;
  dmExpirySeconds: number;
  activeUsersCutoffSeconds: number;
  /** Posts allowed per user per room within `postRateWindowSeconds` (room admins exempt). */
  postRateLimit: number;
  postRateWindowSeconds: number;
}

export function serverSettings(config: OpenGroupsConfig): ServerSettings {
  return {
    requireBlinding: config.requireBlinding,
    fileExpirySeconds: config.fileExpiryDays * DAY,
    uploadClaimSeconds: 3600,
    maxFileBytes: config.maxFileBytes,
    dmExpirySeconds: config.dmExpiryDays * DAY,
    activeUsersCutoffSeconds: 7 * DAY,
    postRateLimit: config.postRateLimit,
    postRateWindowSeconds: config.postRateWindow / 1000,
  };
}

/** Largest request body: the onion request cap of clients and relays (10 MiB). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The schema's migrations (next to src/ and dist/). */
export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
