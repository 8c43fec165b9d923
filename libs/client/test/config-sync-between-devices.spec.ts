// Profile and contacts travel between the devices of one account as encrypted config messages
// in the own swarm (namespaces 2 and 3): newest wins, superseded copies are deleted.
import { ready } from '@starling/crypto';
import { ConfigSync } from '../src/sync/config-sync';
import { editContact, setProfileName } from '../src/sync/config-changes';
import { CONTACTS_NAMESPACE, PROFILE_NAMESPACE } from '../src/sync/config-documents';
import { Devices } from './support/devices';

const DAVE = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';

describe('config sync between devices', () => {
  let devices: Devices;
  beforeAll(() => ready());
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('keeps one profile message in the swarm and hands the newest name to a new device', async () => {
    const phone = devices.device();
    const sync = new ConfigSync(phone.store, devices.swarm);
    phone.store.updateState((s) => setProfileName(s, 'Al', Date.now()));
    await sync.pushPending();
    phone.store.updateState((s) => setProfileName(s, 'Alice', Date.now()));
    await sync.pushPending();
    expect(devices.swarm.rows(phone.identity.sessionId, PROFILE_NAMESPACE)).toHaveLength(1);
    expect(phone.store.readState().unsynced).toEqual([]);

    const laptop = devices.device(phone.seed);
    const result = await laptop.inbox.poll();
    expect(result.adopted).toEqual([PROFILE_NAMESPACE]);
    expect(laptop.store.readState().profile).toMatchObject({ seqno: 2, name: 'Alice' });
  });

  it('lets the later of two concurrent edits win on both devices', async () => {
    const phone = devices.device();
    const laptop = devices.device(phone.seed);
    const t = Date.now();
    phone.store.updateState((s) => editContact(s, DAVE, (c) => (c.name = 'from phone'), t));
    laptop.store.updateState((s) => editContact(s, DAVE, (c) => (c.blocked = true), t + 1000));
    await phone.inbox.poll(); // pushes seqno 1 @ t
    await laptop.inbox.poll(); // sees the phone's seqno 1 @ t, keeps its own newer edit, pushes it
    await phone.inbox.poll(); // adopts the laptop's
    for (const device of [phone, laptop]) {
      expect(device.store.readState().contacts.contacts[DAVE]).toEqual({ blocked: true });
    }
    expect(devices.swarm.rows(phone.identity.sessionId, CONTACTS_NAMESPACE)).toHaveLength(1);
  });

  it('ignores config messages it cannot read and never adopts an older document', async () => {
    const phone = devices.device();
    const stranger = devices.device();
    phone.store.updateState((s) => {
      setProfileName(s, 'one', Date.now());
      setProfileName(s, 'two', Date.now());
    });
    await phone.inbox.poll();
    // Another account's config, stored (signed) in its own swarm, copied into ours is unreadable here.
    const strangerSync = new ConfigSync(stranger.store, devices.swarm);
    stranger.store.updateState((s) => setProfileName(s, 'intruder', Date.now()));
    await strangerSync.pushPending();
    const [foreign] = devices.swarm.rows(stranger.identity.sessionId, PROFILE_NAMESPACE);
    const absorbed = new ConfigSync(phone.store, devices.swarm).absorb(phone.store.readState(), PROFILE_NAMESPACE, [{ hash: foreign.hash, data: foreign.data }]);
    expect(absorbed).toEqual({ rejected: 1, adopted: false, superseded: [] });

    const laptop = devices.device(phone.seed);
    laptop.store.updateState((s) => (s.profile = { seqno: 5, updatedAt: Date.now(), name: 'newer here' }));
    await laptop.inbox.poll();
    expect(laptop.store.readState().profile.name).toBe('newer here');
  });
});
