// Reading a JSON params object field by field with the storage server's validation rules
// (storage-onion 1.2). Every problem is a 400 "invalid request: ..." naming the field.
import { fromBase64 } from '@starling/crypto';
import { MAX_MESSAGE_BODY, MAX_MESSAGE_BODY_BASE64 } from './limits';
import { invalidRequest, RpcError } from './rpc-error';

/** An account id: netid byte + 32-byte key (05 = Session ID, 03 = group, others as Ed25519). */
export interface Account {
  /** 33 bytes. */
  id: Buffer;
  /** 66 lowercase hex characters. */
  hex: string;
  netid: number;
  /** The 32 key bytes. */
  key: Buffer;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX66 = /^[0-9a-fA-F]{66}$/;
const HASH = /^[A-Za-z0-9+/]{43}$/;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function accountFromHex(hex: string): Account {
  const id = Buffer.from(hex, 'hex');
  return { id, hex: hex.toLowerCase(), netid: id[0]!, key: id.subarray(1) };
}

/** Strict base64 (padded or not); undefined when the text is not canonical base64. */
export function decodeBase64(text: string): Buffer | undefined {
  try {
    const bytes = fromBase64(text);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch {
    return undefined;
  }
}

/** A 36-byte subaccount token from its base64 (48 characters) or hex (72) form. */
function decodeToken(v: Json): Buffer | undefined {
  let token: Buffer | undefined;
  if (typeof v === 'string' && v.length === 72 && /^[0-9a-fA-F]+$/.test(v)) token = Buffer.from(v, 'hex');
  else if (typeof v === 'string' && v.length === 48) token = decodeBase64(v);
  return token?.length === 36 ? token : undefined;
}

/** Typed access to one request's params. */
export class Params {
  constructor(private readonly raw: JsonObject) {}

  static of(value: unknown): Params {
    if (!isObject(value)) throw invalidRequest('params must be a JSON object');
    return new Params(value);
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  get(name: string): Json | undefined {
    const v = this.raw[name];
    return v === null ? undefined : v;
  }

  /** `pubkey` (or an alias): 66 hex characters, netid byte + 32-byte key. */
  account(aliases: readonly string[] = []): Account {
    const name = ['pubkey', ...aliases].find((n) => this.has(n));
    if (!name) throw invalidRequest('missing required field "pubkey"');
    const v = this.raw[name];
    if (typeof v !== 'string' || !HEX66.test(v)) {
      throw invalidRequest(`"${name}" must be 66 hex characters (netid byte + 32-byte key)`);
    }
    return accountFromHex(v);
  }

  /** `pubkey_ed25519`: 64 hex; permitted only for 05 accounts. */
  pubkeyEd25519(account: Account): Buffer | undefined {
    const v = this.get('pubkey_ed25519');
    if (v === undefined) return undefined;
    if (account.netid !== 0x05) throw new RpcError(400, 'pubkey_ed25519 is only permitted for 05[...] pubkeys');
    if (typeof v !== 'string' || !HEX64.test(v)) throw invalidRequest('"pubkey_ed25519" must be 64 hex characters');
    return Buffer.from(v, 'hex');
  }

  /** A base64 Ed25519 signature: 86 characters unpadded or 88 ending in "==". */
  signature(name = 'signature'): Buffer | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(v.length === 86 || (v.length === 88 && v.endsWith('==')))) {
      throw invalidRequest(`"${name}" must be a base64 Ed25519 signature (86 characters, or 88 ending in ==)`);
    }
    const sig = decodeBase64(v);
    if (!sig || sig.length !== 64) throw invalidRequest(`"${name}" is not valid base64`);
    return sig;
  }

  /** `subaccount`: 36-byte token as base64 (48 characters) or hex (72). */
  subaccount(): Buffer | undefined {
    const v = this.get('subaccount');
    if (v === undefined) return undefined;
    const token = decodeToken(v);
    if (!token) throw invalidRequest('"subaccount" must be a 36-byte token in base64 (48 characters) or hex (72)');
    return token;
  }

  /** A required token or list of tokens (revoke, unrevoke): each as `subaccount` is written. */
  subaccountTokens(name: string, opts: { max?: number } = {}): Buffer[] {
    const v = this.get(name);
    if (v === undefined) throw invalidRequest(`missing required field "${name}"`);
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((t) => typeof t === 'string')) throw invalidRequest(`"${name}" must be a subaccount token or a list of them`);
    if (opts.max !== undefined && list.length > opts.max) throw invalidRequest(`"${name}" lists more than ${opts.max} subaccount tokens`);
    return list.map((t) => {
      const token = decodeToken(t);
      if (!token) throw invalidRequest(`"${name}" holds a value that is not a 36-byte token in base64 (48 characters) or hex (72)`);
      return token;
    });
  }

  /** An integer field; `allowString` accepts a stringified integer (legacy store fields). */
  integer(name: string, opts: { required?: boolean; allowString?: boolean; min?: number; max?: number } = {}): number | undefined {
    let v = this.get(name);
    if (v === undefined) {
      if (opts.required) throw invalidRequest(`missing required field "${name}"`);
      return undefined;
    }
    if (opts.allowString && typeof v === 'string' && /^-?\d{1,16}$/.test(v)) v = Number(v);
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw invalidRequest(`"${name}" must be an integer`);
    if (opts.min !== undefined && v < opts.min) throw invalidRequest(`"${name}" must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) throw invalidRequest(`"${name}" must be at most ${opts.max}`);
    return v;
  }

  /** Unix milliseconds; values that look like seconds are refused. */
  timestampMs(name: string, opts: { required?: boolean; allowString?: boolean } = {}): number | undefined {
    const v = this.integer(name, opts);
    if (v !== undefined && v < 1_000_000_000) throw invalidRequest(`"${name}" must be in milliseconds`);
    return v;
  }

  requiredTimestampMs(name: string, opts: { allowString?: boolean } = {}): number {
    return this.timestampMs(name, { ...opts, required: true })!;
  }

  boolean(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw invalidRequest(`"${name}" must be true or false`);
    return v;
  }

  /** `namespace`: int16 (default 0), or "all" where the method allows it. */
  namespace(allowAll: false): number;
  namespace(allowAll: true): number | 'all';
  namespace(allowAll: boolean): number | 'all' {
    const v = this.get('namespace');
    if (v === undefined) return 0;
    if (allowAll && v === 'all') return 'all';
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -32768 || v > 32767) {
      throw invalidRequest(`"namespace" must be an integer in [-32768, 32767]${allowAll ? ' or "all"' : ''}`);
    }
    return v;
  }

  /** A non-empty list of 43-character base64 message hashes. */
  hashes(name: string): string[] {
    const v = this.get(name);
    if (v === undefined) throw invalidRequest(`missing required field "${name}"`);
    if (!Array.isArray(v) || v.length === 0) throw invalidRequest(`"${name}" must be a non-empty list of message hashes`);
    if (v.length > 1000) throw invalidRequest(`"${name}" lists more than 1000 hashes`);
    return v.map((h) => {
      if (typeof h !== 'string' || !HASH.test(h)) {
        throw invalidRequest(`invalid message hash: ${typeof h === 'string' ? JSON.stringify(h.slice(0, 60)) : typeof h}`);
      }
      return h;
    });
  }

  /** `data`: base64 of at most 76,800 bytes. */
  messageData(): Buffer {
    const v = this.get('data');
    if (v === undefined) throw invalidRequest('missing required field "data"');
    if (typeof v !== 'string') throw invalidRequest('"data" must be a base64 string');
    if (v.length > MAX_MESSAGE_BODY_BASE64 + 2) throw new RpcError(413, `Message body exceeds maximum allowed length of ${MAX_MESSAGE_BODY}`);
    const data = decodeBase64(v);
    if (!data) throw invalidRequest('"data" is not valid base64');
    if (data.length > MAX_MESSAGE_BODY) throw new RpcError(413, `Message body exceeds maximum allowed length of ${MAX_MESSAGE_BODY}`);
    return data;
  }
}
