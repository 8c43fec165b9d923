// Each way a monitor subscription can be wrong, in upstream's checking order, with its code and
// text; and the three ways to be right (P= for a Session ID, p= for a group, a subaccount token).
import { randomBytes } from 'crypto';
import { concatBytes, ed25519KeyPairFromSeed, identityFromSeed, monitorSigningText, ready, signEd25519, SubaccountFlag } from '@starling/crypto';
import { MonitorErrorCode } from '@starling/proto';
import { checkMonitorSubscription, type MonitorSubscriptionInput } from './monitor-subscription';

beforeAll(ready);

const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const DAY = 86_400;

function sessionInput(over: Partial<MonitorSubscriptionInput> = {}, sign = true): MonitorSubscriptionInput {
  const id = identityFromSeed(new Uint8Array(32).fill(7));
  const account = Buffer.from(id.sessionId, 'hex');
  const base = { sessionEd25519: id.ed25519.publicKey, namespaces: [0, 2], wantData: true, signatureTimestamp: NOW_S, ...over };
  const signature = sign ? signEd25519(id.ed25519.secretKey, Buffer.from(monitorSigningText(account, base.signatureTimestamp ?? 0, base.wantData, base.namespaces))) : undefined;
  return { signature, ...base };
}

function groupInput(flags?: number): { input: MonitorSubscriptionInput; account: Buffer } {
  const group = ed25519KeyPairFromSeed(new Uint8Array(32).fill(3));
  const account = Buffer.concat([Buffer.of(0x03), group.publicKey]);
  const namespaces = [-11, 11, 12];
  if (flags === undefined) {
    const signature = signEd25519(group.secretKey, Buffer.from(monitorSigningText(account, NOW_S, false, namespaces)));
    return { account, input: { pubkey: account, namespaces, wantData: false, signatureTimestamp: NOW_S, signature } };
  }
  const member = ed25519KeyPairFromSeed(randomBytes(32));
  const token = concatBytes(Uint8Array.of(0x03, flags, 0, 0), member.publicKey);
  return {
    account,
    input: {
      pubkey: account,
      subaccountToken: token,
      subaccountSignature: signEd25519(group.secretKey, token),
      namespaces,
      wantData: false,
      signatureTimestamp: NOW_S,
      signature: signEd25519(member.secretKey, Buffer.from(monitorSigningText(account, NOW_S, false, namespaces))),
    },
  };
}

describe('monitor subscription checks', () => {
  it('accepts a Session ID by its Ed25519 key and names the 05 account', () => {
    const check = checkMonitorSubscription(sessionInput(), NOW_MS);
    expect(check).toEqual({ ok: true, subscription: { account: expect.any(Buffer), namespaces: [0, 2], wantData: true } });
    if (check.ok) expect(check.subscription.account.toString('hex')).toBe(identityFromSeed(new Uint8Array(32).fill(7)).sessionId);
  });

  it('accepts a group by p= and a Read subaccount of the group', () => {
    expect(checkMonitorSubscription(groupInput().input, NOW_MS).ok).toBe(true);
    expect(checkMonitorSubscription(groupInput(SubaccountFlag.read).input, NOW_MS).ok).toBe(true);
  });

  const P = MonitorErrorCode;
  it.each<[string, () => MonitorSubscriptionInput, number, string]>([
    ['a 31-byte P=', () => sessionInput({ sessionEd25519: new Uint8Array(31) }), P.BAD_PUBKEY, 'Provided P= Session Ed25519 pubkey must be 32 bytes'],
    ['a 63-byte S=', () => ({ ...groupInput(SubaccountFlag.read).input, subaccountSignature: new Uint8Array(63) }), P.BAD_PUBKEY, 'Provided S subaccount signature must be 64 bytes'],
    ['S= without T=', () => ({ ...groupInput(SubaccountFlag.read).input, subaccountToken: new Uint8Array(0) }), P.BAD_ARGS, 'Invalid arguments: missing required T= subaccount token'],
    ['a 35-byte T=', () => ({ ...groupInput(SubaccountFlag.read).input, subaccountToken: new Uint8Array(35) }), P.BAD_PUBKEY, 'Provided T subaccount token must be 36 bytes'],
    ['no namespaces', () => sessionInput({ namespaces: [] }), P.BAD_ARGS, 'Invalid arguments: missing required n= namespace list'],
    ['a namespace beyond int16', () => sessionInput({ namespaces: [0, 32768] }), P.BAD_ARGS, 'Invalid arguments: n= namespaces must be int16 values'],
    ['descending namespaces', () => sessionInput({ namespaces: [2, 0] }), P.BAD_NS, 'Invalid n= namespace list: namespaces must be ascending'],
    ['a repeated namespace', () => sessionInput({ namespaces: [0, 0] }), P.BAD_NS, 'Invalid n= namespace list: namespaces must be ascending'],
    ['both p= and P=', () => ({ ...sessionInput(), pubkey: Buffer.alloc(33, 5) }), P.BAD_ARGS, 'Invalid arguments: Cannot provide both p= and P= pubkey values'],
    ['a 32-byte p=', () => ({ ...groupInput().input, pubkey: new Uint8Array(32) }), P.BAD_PUBKEY, 'Provided p= pubkey must be 33 bytes'],
    ['neither p= nor P=', () => ({ ...sessionInput(), sessionEd25519: undefined }), P.BAD_ARGS, 'Invalid arguments: Either p= or P= must be given'],
    ['no signature', () => sessionInput({}, false), P.BAD_ARGS, 'Invalid arguments: missing required s= signature'],
    ['a 63-byte signature', () => sessionInput({ signature: new Uint8Array(63) }), P.BAD_SIG, 'Provided s= signature must be 64 bytes'],
    ['no timestamp', () => sessionInput({ signatureTimestamp: 0 }), P.BAD_ARGS, 'Invalid arguments: required signature timestamp is missing'],
    ['a timestamp older than 14 days', () => sessionInput({ signatureTimestamp: NOW_S - 14 * DAY - 1 }), P.BAD_TS, 'Invalid t= signature timestamp: timestamp is too old'],
    ['a timestamp over a day ahead', () => sessionInput({ signatureTimestamp: NOW_S + DAY + 1 }), P.BAD_TS, 'Invalid t= signature timestamp: timestamp is in the future'],
    ['a timestamp in milliseconds', () => sessionInput({ signatureTimestamp: NOW_MS }), P.BAD_TS, 'Invalid t= signature timestamp: timestamp is in the future'],
    ['a P= that is not a curve point', () => sessionInput({ sessionEd25519: Buffer.alloc(32, 0xff) }), P.BAD_PUBKEY, 'Invalid P= ed25519 public key'],
    ['a token without Read', () => groupInput(SubaccountFlag.write).input, P.BAD_SIG, 'Subaccount verification failed: subaccount is missing the required permissions'],
    ['a data flag other than signed', () => ({ ...sessionInput(), wantData: false }), P.BAD_SIG, 'Signature verification failed'],
    ['namespaces other than signed', () => ({ ...sessionInput(), namespaces: [0, 2, 5] }), P.BAD_SIG, 'Signature verification failed'],
  ])('refuses %s', (_name, make, errcode, error) => {
    expect(checkMonitorSubscription(make(), NOW_MS)).toEqual({ ok: false, errcode, error });
  });

  it('accepts the edges of the timestamp window', () => {
    expect(checkMonitorSubscription(sessionInput({ signatureTimestamp: NOW_S - 14 * DAY }), NOW_MS).ok).toBe(true);
    expect(checkMonitorSubscription(sessionInput({ signatureTimestamp: NOW_S + DAY }), NOW_MS).ok).toBe(true);
  });

  it('refuses an account of another swarm only after the signature verified', () => {
    const notOurs = () => false;
    expect(checkMonitorSubscription(sessionInput(), NOW_MS, notOurs)).toMatchObject({ ok: false, errcode: P.WRONG_SWARM });
    expect(checkMonitorSubscription({ ...sessionInput(), wantData: false }, NOW_MS, notOurs)).toMatchObject({ ok: false, errcode: P.BAD_SIG });
  });
});
