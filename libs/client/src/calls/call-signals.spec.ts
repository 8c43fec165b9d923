import { generateIdentity, identityFromSeed, ready, toHex } from '@starling/crypto';
import { CALL_TYPE } from '../messaging/session-protos';
import { decodeMessage, encodeMessage } from '../messaging/wire';
import { answeredElsewhere, checkCallable, isLiveOffer, OFFER_MAX_AGE_MS, type CallSignal } from './call-signals';

beforeAll(() => ready());

function signal(over: Partial<CallSignal>): CallSignal {
  return { hash: 'h', direction: 'in', peer: '05' + 'ab'.repeat(32), sentAtMs: 1_000_000, call: { type: CALL_TYPE.OFFER, uuid: 'u1', sdps: ['v=0'] }, ...over };
}

describe('call signals', () => {
  it('carries a CallMessage sealed like any 1:1 message', () => {
    const alice = identityFromSeed(generateIdentity().seed16);
    const bob = identityFromSeed(generateIdentity().seed16);
    const call = { type: CALL_TYPE.ICE_CANDIDATES, uuid: 'c0ffee', sdps: ['candidate:a', 'candidate:b'], sdpMLineIndexes: [0, 0], sdpMids: ['0', '0'] };
    const bytes = encodeMessage(alice.ed25519.secretKey, bob.sessionId, { callMessage: call }, 1_700_000_000_123);
    const opened = decodeMessage(bob.x25519, bytes);
    expect(opened.senderSessionId).toBe(alice.sessionId);
    expect(opened.content.callMessage).toEqual(call);
    expect(Buffer.from(bytes).includes(Buffer.from('candidate:a'))).toBe(false);
  });

  it('rings for an offer of at most 5 minutes, never an older one', () => {
    const offer = signal({});
    expect(isLiveOffer(offer, offer.sentAtMs + OFFER_MAX_AGE_MS)).toBe(true);
    expect(isLiveOffer(offer, offer.sentAtMs + OFFER_MAX_AGE_MS + 1)).toBe(false);
    expect(isLiveOffer(signal({ direction: 'out' }), offer.sentAtMs)).toBe(false);
    expect(isLiveOffer(signal({ call: { type: CALL_TYPE.PRE_OFFER, uuid: 'u1' } }), offer.sentAtMs)).toBe(false);
  });

  it('knows when another device of ours answered', () => {
    const answer = signal({ direction: 'out', call: { type: CALL_TYPE.ANSWER, uuid: 'u1', sdps: ['v=0'] } });
    expect(answeredElsewhere(answer, 'u1')).toBe(true);
    expect(answeredElsewhere(answer, 'u2')).toBe(false);
    expect(answeredElsewhere({ ...answer, direction: 'in' }, 'u1')).toBe(false);
  });

  it('refuses group ids with a clear message', () => {
    expect(() => checkCallable('03' + 'ab'.repeat(32))).toThrow('group calls are not supported');
    expect(() => checkCallable('nonsense')).toThrow();
    const id = '05' + toHex(new Uint8Array(32).fill(0xcd)).toUpperCase();
    expect(checkCallable(id)).toBe(id.toLowerCase());
  });
});
