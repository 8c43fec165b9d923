// Config dicts are keyed by the 33 raw bytes of an id ("05…" Session IDs, "03…" groups).
import { Bytes } from './bencode';

export function sessionIdKey(id: string, prefix = '05'): Bytes {
  if (!/^[0-9a-fA-F]{66}$/.test(id) || id.slice(0, 2) !== prefix) {
    throw new RangeError(`Invalid session ID: expected 66 hex digits starting with ${prefix}; got ${id}`);
  }
  return Buffer.from(id, 'hex').toString('latin1');
}

export function sessionIdFromKey(key: Bytes): string {
  return Buffer.from(key, 'latin1').toString('hex');
}
