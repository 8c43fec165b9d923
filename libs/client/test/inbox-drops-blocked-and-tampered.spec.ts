// What an inbox poll must not show: blocked senders (on every device of the account), and
// messages that fail to open or verify: tampered, replayed with another timestamp, sealed to
// someone else, or not a message at all.
import { ready, utf8 } from '@starling/crypto';
import { Envelope, WebSocketMessage } from '../src/messaging/session-protos';
import { encodeMessage } from '../src/messaging/wire';
import { editContact } from '../src/sync/config-changes';
import { Devices } from './support/devices';

describe('the inbox drops what it must not show', () => {
  let devices: Devices;
  beforeAll(() => ready());
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('drops a blocked sender on the blocking device and on a linked one, and shows them again after unblock', async () => {
    const bob = devices.device();
    const carol = devices.device();
    bob.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => (c.blocked = true), Date.now()));
    await carol.sender.sendText(bob.identity.sessionId, 'let me in');

    const atBob = await bob.inbox.poll(); // pushes the block first, then reads
    expect(atBob.entries).toEqual([]);
    expect(atBob.blocked).toBe(1);

    const bobTablet = devices.device(bob.seed);
    const atTablet = await bobTablet.inbox.poll();
    expect(atTablet.entries).toEqual([]);
    expect(atTablet.blocked).toBe(1);

    bobTablet.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => delete c.blocked, Date.now()));
    await bobTablet.inbox.poll();
    await carol.sender.sendText(bob.identity.sessionId, 'now?');
    const afterUnblock = await bob.inbox.poll();
    expect(afterUnblock.entries.map((e) => e.text)).toEqual(['now?']);
    expect(afterUnblock.adopted).toContain(3);
  });

  it('refuses to send to a blocked Session ID', async () => {
    const bob = devices.device();
    const carol = devices.device();
    bob.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => (c.blocked = true), Date.now()));
    await expect(bob.sender.sendText(carol.identity.sessionId, 'hi')).rejects.toThrow(/blocked/);
  });

  it('rejects tampered, replayed, foreign and garbage messages and still shows the good one', async () => {
    const bob = devices.device();
    const carol = devices.device();
    const alice = devices.device();
    const secret = carol.identity.ed25519.secretKey;
    const now = Date.now();

    const tampered = encodeMessage(secret, bob.identity.sessionId, { dataMessage: { body: 'tampered' } }, now);
    tampered[tampered.length - 20] ^= 0x01; // inside the sealed box
    devices.swarm.deposit(bob.identity.sessionId, tampered);

    devices.swarm.deposit(bob.identity.sessionId, withEnvelopeTimestamp(encodeMessage(secret, bob.identity.sessionId, { dataMessage: { body: 'replayed' } }, now), now + 1));
    devices.swarm.deposit(bob.identity.sessionId, encodeMessage(secret, alice.identity.sessionId, { dataMessage: { body: 'for Alice' } }, now));
    devices.swarm.deposit(bob.identity.sessionId, utf8('just some bytes'));
    devices.swarm.deposit(bob.identity.sessionId, encodeMessage(secret, bob.identity.sessionId, { dataMessage: { body: 'genuine' } }, now));

    const result = await bob.inbox.poll();
    expect(result.entries.map((e) => [e.peer, e.text])).toEqual([[carol.identity.sessionId, 'genuine']]);
    expect(result.rejected).toBe(4);
  });
});

/** Re-wraps a stored message with another (unsigned) envelope timestamp: a replay attempt. */
function withEnvelopeTimestamp(data: Uint8Array, timestamp: number): Uint8Array {
  const wsm = WebSocketMessage.toObject(WebSocketMessage.decode(data)) as { type: number; request: { body: Uint8Array } };
  const envelope = Envelope.toObject(Envelope.decode(wsm.request.body));
  const body = Envelope.encode(Envelope.fromObject({ ...envelope, timestamp })).finish();
  return WebSocketMessage.encode(WebSocketMessage.fromObject({ ...wsm, request: { ...wsm.request, body } })).finish();
}
