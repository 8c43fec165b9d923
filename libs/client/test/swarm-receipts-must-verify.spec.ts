// A send or a read-shortening only counts when a swarm member signed it with its own key.
import { generateIdentity, ready, signEd25519, toBase64, toHex, utf8 } from '@starling/crypto';
import type { ServiceNode } from '../src/network/service-nodes';
import { confirmExpired, confirmStored } from '../src/storage/swarm-receipts';
import { Devices } from './support/devices';

const HASH = 'gwTFi7xJfaW/kuECEKV+HwjKWozToGIYTM7R9KyaH7M';

describe('signed swarm receipts', () => {
  let devices: Devices;
  beforeAll(() => ready());
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('fails a send whose store receipts are signed by keys other than the members’', async () => {
    const alice = devices.device();
    const bob = devices.device();
    devices.swarm.forgeSignatures = true;
    await expect(alice.sender.sendText(bob.identity.sessionId, 'hello')).rejects.toThrow(/no member of the swarm confirmed storing it/);
  });

  it('counts delete-after-read messages whose shortening nobody signed as not yet disappearing', async () => {
    const alice = devices.device();
    const bob = devices.device();
    await alice.sender.sendText(bob.identity.sessionId, 'read once', { mode: 'after-read', timerSeconds: 300 });
    devices.swarm.forgeSignatures = true;
    const result = await bob.inbox.poll();
    expect(result.entries.map((e) => e.text)).toEqual(['read once']);
    expect(result.expireFailures).toBe(1);
  });

  describe('receipt checks', () => {
    type Key = ReturnType<typeof generateIdentity>['identity'];
    let member: Key;
    let stranger: Key;
    beforeAll(() => {
      member = generateIdentity().identity;
      stranger = generateIdentity().identity;
    });
    const node = (ed: Uint8Array): ServiceNode => ({ role: 'store', ed25519: toHex(ed), x25519: '00'.repeat(32), ip: '127.0.0.1', port: 1, swarmId: '1' });
    const sign = (secret: Uint8Array, text: string) => toBase64(signEd25519(secret, utf8(text)));

    it('accepts a member’s signature over the hash we computed, nothing else', () => {
      const members = [node(member.ed25519.publicKey)];
      const reply = (key: Key, hash: string) => ({ status: 200, body: { swarm: { [toHex(key.ed25519.publicKey)]: { hash, signature: sign(key.ed25519.secretKey, hash) } } } });
      expect(confirmStored(reply(member, HASH), HASH, members, 'store')).toBe(1);
      expect(() => confirmStored(reply(stranger, HASH), HASH, members, 'store')).toThrow(/no member/); // not in the swarm
      expect(() => confirmStored(reply(member, 'x'.repeat(43)), HASH, members, 'store')).toThrow(/no member/); // another hash
      expect(() => confirmStored({ status: 500, body: 'all members failed' }, HASH, members, 'store')).toThrow(/store failed: 500/);
    });

    it('checks the expire signature over account, expiry, requested, updated and unchanged hashes', () => {
      const members = [node(member.ed25519.publicKey)];
      const account = '05' + 'ab'.repeat(32);
      const other = 'y'.repeat(43);
      const text = `${account}1700000300000${HASH}${other}${HASH}${other}1700000100000`;
      const result = { updated: [HASH], unchanged: { [other]: 1700000100000 }, expiry: 1700000300000, signature: sign(member.ed25519.secretKey, text) };
      const reply = { status: 200, body: { swarm: { [members[0].ed25519]: result } } };
      expect(confirmExpired(reply, account, [HASH, other], members, 'expire')).toBe(1700000300000);
      expect(() => confirmExpired(reply, account, [other, HASH], members, 'expire')).toThrow(/no member/);
    });
  });
});
