// Disappearing messages (client.md 4): delete-after-send lives its timer in the swarm;
// delete-after-read lives 14 days until read, then the reader shortens it to now + timer.
import { ready } from '@starling/crypto';
import { MESSAGE_TTL_MS } from '../src/storage/own-swarm-requests';
import { editContact } from '../src/sync/config-changes';
import { Devices } from './support/devices';

describe('disappearing messages', () => {
  let devices: Devices;
  beforeAll(() => ready());
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('stores a delete-after-send message and its sync copy for exactly the timer', async () => {
    const alice = devices.device();
    const bob = devices.device();
    const sent = await alice.sender.sendText(bob.identity.sessionId, 'gone soon', { mode: 'after-send', timerSeconds: 300 });
    expect(devices.swarm.rows(bob.identity.sessionId, 0)[0].expiry).toBe(sent.sentAtMs + 300_000);
    expect(devices.swarm.rows(alice.identity.sessionId, 0)[0].expiry).toBe(sent.sentAtMs + 300_000);
    const [entry] = (await bob.inbox.poll()).entries;
    expect(entry.disappearing).toEqual({ mode: 'after-send', timerSeconds: 300 });
    expect(entry.expiresAtMs).toBe(sent.sentAtMs + 300_000);
    devices.swarm.offsetMs = 301_000;
    expect(devices.swarm.rows(bob.identity.sessionId, 0)).toEqual([]);
  });

  it('keeps a delete-after-read message 14 days until read, then shortens it to the timer', async () => {
    const alice = devices.device();
    const bob = devices.device();
    alice.store.updateState((s) => editContact(s, bob.identity.sessionId, (c) => (c.disappearing = { mode: 'after-read', timerSeconds: 60 }), Date.now()));
    const sent = await alice.sender.sendText(bob.identity.sessionId, 'read me once'); // the conversation's setting
    const [row] = devices.swarm.rows(bob.identity.sessionId, 0);
    expect(row.expiry).toBe(sent.sentAtMs + MESSAGE_TTL_MS);

    devices.swarm.offsetMs = 10_000; // Bob reads ten seconds later
    const [entry] = (await bob.inbox.poll()).entries;
    expect(entry.disappearing).toEqual({ mode: 'after-read', timerSeconds: 60 });
    const shortened = devices.swarm.rows(bob.identity.sessionId, 0)[0].expiry;
    expect(shortened).toBeGreaterThanOrEqual(sent.sentAtMs + 70_000);
    expect(shortened).toBeLessThan(sent.sentAtMs + MESSAGE_TTL_MS);
    expect(entry.expiresAtMs).toBe(shortened);
    devices.swarm.offsetMs = 10_000 + 61_000;
    expect(devices.swarm.rows(bob.identity.sessionId, 0)).toEqual([]);
  });

  it('sends without a timer when the conversation setting is overridden with off', async () => {
    const alice = devices.device();
    const bob = devices.device();
    alice.store.updateState((s) => editContact(s, bob.identity.sessionId, (c) => (c.disappearing = { mode: 'after-send', timerSeconds: 300 }), Date.now()));
    const sent = await alice.sender.sendText(bob.identity.sessionId, 'keep this', null);
    expect(sent.ttlMs).toBe(MESSAGE_TTL_MS);
    const [entry] = (await bob.inbox.poll()).entries;
    expect(entry.disappearing).toBeUndefined();
  });
});
