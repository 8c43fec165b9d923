// The Monitor contract end to end through the protobuf codec: a signed subscription encoded as the
// push service sends it is accepted, and a stored message comes out as a notice whose bytes decode
// to the account, hash, namespace, times and (when asked) data.
import { identityFromSeed, messageHash, monitorSigningText, ready, signEd25519 } from '@starling/crypto';
import { swarmstore } from '@starling/proto';
import { MonitorRegistry } from './monitor-registry';
import { answerMonitorRequest, publishForeign, publishStored, type MonitorSink } from './monitor-wire';

beforeAll(ready);

class BufferedSink implements MonitorSink {
  readonly events: swarmstore.MonitorResponse[] = [];
  write(event: swarmstore.MonitorResponse): void {
    // through the wire codec, as gRPC would carry it
    this.events.push(swarmstore.MonitorResponse.decode(swarmstore.MonitorResponse.encode(event).finish()));
  }
}

describe('Monitor messages on the wire', () => {
  it('subscribes from a decoded request and streams notices and ends', () => {
    const id = identityFromSeed(new Uint8Array(32).fill(9));
    const account = Buffer.from(id.sessionId, 'hex');
    const t = Math.floor(Date.now() / 1000);
    const request = swarmstore.MonitorRequest.decode(
      swarmstore.MonitorRequest.encode({
        requestId: '42',
        subscriptions: [
          {
            pubkey: Buffer.alloc(0),
            sessionEd25519: Buffer.from(id.ed25519.publicKey),
            subaccountToken: Buffer.alloc(0),
            subaccountSignature: Buffer.alloc(0),
            namespaces: [-10, 0],
            wantData: true,
            signatureTimestamp: String(t),
            signature: Buffer.from(signEd25519(id.ed25519.secretKey, Buffer.from(monitorSigningText(account, t, true, [-10, 0])))),
          },
        ],
      }).finish(),
    );
    const registry = new MonitorRegistry<MonitorSink>();
    const sink = new BufferedSink();
    expect(answerMonitorRequest(registry, sink, request)).toEqual({ result: { requestId: '42', outcomes: [{ errcode: 0, error: '' }] } });

    const data = Buffer.from('a Session envelope');
    const stored = { owner: account, namespace: -10, hash: messageHash(account, -10, data), timestampMs: 1_700_000_000_123, expiryMs: 1_701_000_000_456, data };
    expect(publishStored(registry, stored)).toBe(1);
    const notice = sink.events[0]!.notice!;
    expect(Buffer.from(notice.pubkey).equals(account)).toBe(true);
    expect(notice).toMatchObject({ hash: stored.hash, namespace: -10, timestampMs: '1700000000123', expiryMs: '1701000000456' });
    expect(Buffer.from(notice.data!).equals(data)).toBe(true);

    expect(publishForeign(registry, () => false)).toBe(1);
    expect(sink.events[1]!.ended).toMatchObject({ errcode: 6 });
    expect(publishStored(registry, stored)).toBe(0);
  });
});
