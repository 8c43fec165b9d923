import { swarmstore } from '@starling/proto';
import { messageNotice, monitorSubscription, resubscribeDelayMs, RESUBSCRIBE_MAX_MS, RESUBSCRIBE_MIN_MS } from './monitor-wire';

describe('monitor messages, push side', () => {
  const ed = Buffer.alloc(32, 1);
  const signature = Buffer.alloc(64, 2);

  it('names a Session ID by its Ed25519 key and a group by its account, through the codec', () => {
    const session = monitorSubscription({ account: Buffer.concat([Buffer.of(5), Buffer.alloc(32, 9)]), sessionEd25519: ed, signature, sigTs: 1_700_000_000, wantData: true, namespaces: [0] });
    const decoded = swarmstore.MonitorSubscription.decode(swarmstore.MonitorSubscription.encode(session).finish());
    expect(decoded.pubkey).toHaveLength(0);
    expect(Buffer.from(decoded.sessionEd25519).equals(ed)).toBe(true);
    expect(decoded).toMatchObject({ signatureTimestamp: '1700000000', wantData: true, namespaces: [0] });

    const token = Buffer.alloc(36, 3);
    const group = monitorSubscription({ account: Buffer.alloc(33, 3), subaccountToken: token, subaccountSig: signature, signature, sigTs: 1, wantData: false, namespaces: [-11, 11] });
    expect(group.pubkey).toHaveLength(33);
    expect(group.sessionEd25519).toHaveLength(0);
    expect(group.subaccountToken.equals(token)).toBe(true);
  });

  it('reads a notice, with and without data, and refuses one with a short account', () => {
    const wire = (data?: Buffer) =>
      swarmstore.MonitorNotice.decode(
        swarmstore.MonitorNotice.encode({ pubkey: Buffer.alloc(33, 5), hash: 'h'.repeat(43), namespace: -10, timestampMs: '1700000000001', expiryMs: '1700000000002', ...(data ? { data } : {}) }).finish(),
      );
    expect(messageNotice(wire(Buffer.from('x')))).toMatchObject({ namespace: -10, timestampMs: 1_700_000_000_001, expiryMs: 1_700_000_000_002, data: Buffer.from('x') });
    expect(messageNotice(wire())!.data).toBeUndefined();
    expect(messageNotice({ ...wire(), pubkey: Buffer.alloc(32) })).toBeUndefined();
  });

  it('renews between 45 and 55 minutes', () => {
    expect(resubscribeDelayMs(() => 0)).toBe(RESUBSCRIBE_MIN_MS);
    expect(resubscribeDelayMs(() => 0.999999)).toBeLessThan(RESUBSCRIBE_MAX_MS);
  });
});
