// What an account signs to let a push server watch it (storage-onion.md 1.10, the push server's
// /subscribe and /unsubscribe): plain ASCII, the account in lowercase hex, times in unix seconds.
import { toHex } from './encoding';
import { CryptoError } from './errors';

/** "MONITOR" || hex(account) || sig_ts || "1"|"0" || namespaces joined by "," (ascending). */
export function monitorSigningText(account: Uint8Array, sigTs: number, wantData: boolean, namespaces: readonly number[]): string {
  return `MONITOR${accountHex(account)}${seconds(sigTs)}${wantData ? '1' : '0'}${namespaces.join(',')}`;
}

/** "UNSUBSCRIBE" || hex(account) || sig_ts. */
export function unsubscribeSigningText(account: Uint8Array, sigTs: number): string {
  return `UNSUBSCRIBE${accountHex(account)}${seconds(sigTs)}`;
}

function accountHex(account: Uint8Array): string {
  if (!(account instanceof Uint8Array) || account.length !== 33) {
    throw new CryptoError('BAD_LENGTH', 'a monitored account must be 33 bytes (prefix + key)');
  }
  return toHex(account);
}

function seconds(sigTs: number): string {
  if (!Number.isSafeInteger(sigTs)) throw new CryptoError('MALFORMED', `signature timestamp must be an integer, got ${sigTs}`);
  return String(sigTs);
}
