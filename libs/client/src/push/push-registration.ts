// This device's push subscription, kept in the data folder's push.json: where notices go, what
// was asked for, the notice key (only this device holds it; a bot needs it to read notices) and
// when it was signed. The server drops a subscription 14 days after its signature; Session apps
// renew every 7, and `starling push subscribe` again does the same.
import { randomBytes } from 'crypto';
import { join } from 'path';
import { unlinkSync } from 'fs';
import { fromHex, toHex } from '@starling/crypto';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError } from '../network/errors';
import type { PushTarget } from './push-client';

export const PUSH_REGISTRATION_FILE = 'push.json';
const DAY_S = 86_400;
export const RENEW_AFTER_S = 7 * DAY_S;
export const EXPIRES_AFTER_S = 14 * DAY_S;

export interface PushRegistration {
  /** The push server's URL. */
  server: string;
  target: PushTarget;
  namespaces: number[];
  data: boolean;
  encKey: Uint8Array;
  /** Unix seconds of the last subscription's signature. */
  sigTs: number;
}

export function readPushRegistration(home: string): PushRegistration | undefined {
  const file = join(home, PUSH_REGISTRATION_FILE);
  const raw = readJsonIfExists(file);
  if (raw === undefined) return undefined;
  const target = raw.target as PushTarget | undefined;
  const valid =
    typeof raw.server === 'string' &&
    (target?.service === 'unifiedpush' ? typeof target.endpoint === 'string' : typeof (target as { token?: unknown } | undefined)?.token === 'string') &&
    Array.isArray(raw.namespaces) &&
    raw.namespaces.every(Number.isInteger) &&
    typeof raw.data === 'boolean' &&
    typeof raw.enc_key === 'string' &&
    /^[0-9a-f]{64}$/.test(raw.enc_key) &&
    Number.isSafeInteger(raw.sig_ts);
  if (!valid) throw new ClientError(`${file} is damaged; run "starling push subscribe" again`, 'input');
  return { server: raw.server as string, target: target!, namespaces: raw.namespaces as number[], data: raw.data as boolean, encKey: fromHex(raw.enc_key as string, 32), sigTs: raw.sig_ts as number };
}

export function writePushRegistration(home: string, registration: PushRegistration): void {
  const { encKey, sigTs, ...rest } = registration;
  writeJsonAtomic(join(home, PUSH_REGISTRATION_FILE), { ...rest, enc_key: toHex(encKey), sig_ts: sigTs });
}

export function removePushRegistration(home: string): void {
  try {
    unlinkSync(join(home, PUSH_REGISTRATION_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ClientError(`cannot remove ${PUSH_REGISTRATION_FILE}: ${(err as Error).message}`, 'input');
  }
}

/** The key notices are encrypted with: kept across renewals of the same target, new otherwise. */
export function noticeKeyFor(previous: PushRegistration | undefined, target: PushTarget): Uint8Array {
  return previous && sameTarget(previous.target, target) ? previous.encKey : randomBytes(32);
}

export function sameTarget(a: PushTarget, b: PushTarget): boolean {
  if (a.service !== b.service) return false;
  return a.service === 'unifiedpush' ? a.endpoint === (b as { endpoint: string }).endpoint : a.token === (b as { token: string }).token;
}
