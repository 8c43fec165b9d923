// A subscriber as a Session app is one: an identity that signs /subscribe and /unsubscribe bodies
// the way session-android's PushRegisterApi builds them.
import { randomBytes } from 'crypto';
import {
  concatBytes,
  ed25519KeyPairFromSeed,
  identityFromSeed,
  monitorSigningText,
  signEd25519,
  toBase64,
  toHex,
  unsubscribeSigningText,
  fromHex,
  type Ed25519KeyPair,
} from '@starling/crypto';

export interface TestSubscriber {
  /** 66 hex characters. */
  accountHex: string;
  account: Buffer;
  ed25519: Ed25519KeyPair;
  encKey: Buffer;
}

export function sessionSubscriber(seed: Uint8Array = randomBytes(32)): TestSubscriber {
  const identity = identityFromSeed(seed);
  const accountHex = identity.sessionId;
  return { accountHex, account: Buffer.from(fromHex(accountHex)), ed25519: identity.ed25519, encKey: randomBytes(32) };
}

/** A 03 group account: its Ed25519 key is the account key itself. */
export function groupSubscriber(seed: Uint8Array = randomBytes(32)): TestSubscriber {
  const ed25519 = ed25519KeyPairFromSeed(seed);
  const account = Buffer.from(concatBytes(Uint8Array.of(0x03), ed25519.publicKey));
  return { accountHex: toHex(account), account, ed25519, encKey: randomBytes(32) };
}

export interface SubscribeOptions {
  namespaces?: number[];
  data?: boolean;
  sigTs?: number;
  service?: string;
  serviceInfo?: unknown;
  /** Signs with this key instead of the account's. */
  signer?: Uint8Array;
}

export function subscribeBody(s: TestSubscriber, o: SubscribeOptions = {}): Record<string, unknown> {
  const namespaces = o.namespaces ?? [0];
  const data = o.data ?? true;
  const sigTs = o.sigTs ?? Math.floor(Date.now() / 1000);
  const signature = signEd25519(o.signer ?? s.ed25519.secretKey, Buffer.from(monitorSigningText(s.account, sigTs, data, namespaces)));
  return {
    pubkey: s.accountHex,
    ...(s.account[0] === 0x05 ? { session_ed25519: toHex(s.ed25519.publicKey) } : {}),
    namespaces,
    data,
    sig_ts: sigTs,
    signature: toBase64(signature),
    service: o.service ?? 'unifiedpush',
    service_info: o.serviceInfo ?? { endpoint: 'http://127.0.0.1:9/up/' + s.accountHex },
    enc_key: s.encKey.toString('hex'),
  };
}

export function unsubscribeBody(s: TestSubscriber, o: Omit<SubscribeOptions, 'namespaces' | 'data'> = {}): Record<string, unknown> {
  const sigTs = o.sigTs ?? Math.floor(Date.now() / 1000);
  const signature = signEd25519(o.signer ?? s.ed25519.secretKey, Buffer.from(unsubscribeSigningText(s.account, sigTs)));
  return {
    pubkey: s.accountHex,
    ...(s.account[0] === 0x05 ? { session_ed25519: toHex(s.ed25519.publicKey) } : {}),
    sig_ts: sigTs,
    signature: toBase64(signature),
    service: o.service ?? 'unifiedpush',
    service_info: o.serviceInfo ?? { endpoint: 'http://127.0.0.1:9/up/' + s.accountHex },
  };
}

export const jsonBody = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
