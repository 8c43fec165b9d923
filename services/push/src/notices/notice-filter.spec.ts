import { ready } from '@starling/crypto';
import { InProcessSharedState } from '@starling/platform';
import { NoticeFilter } from './notice-filter';

beforeAll(ready);

describe('notice filter', () => {
  const clock = { now: 1_000_000 };
  let state: InProcessSharedState;
  beforeEach(() => (state = new InProcessSharedState()));
  afterEach(() => state.close());

  it('lets a (service, device, hash) through once, and other devices or hashes separately', async () => {
    const filter = new NoticeFilter(state, 60_000, () => clock.now);
    expect(await filter.firstSighting('apns', 'device-a', 'hash-1')).toBe(true);
    expect(await filter.firstSighting('apns', 'device-a', 'hash-1')).toBe(false);
    expect(await filter.firstSighting('apns', 'device-b', 'hash-1')).toBe(true);
    expect(await filter.firstSighting('firebase', 'device-a', 'hash-1')).toBe(true);
    expect(await filter.firstSighting('apns', 'device-a', 'hash-2')).toBe(true);
  });

  it('does not confuse parts that run together ("ab"+"c" vs "a"+"bc")', async () => {
    const filter = new NoticeFilter(state, 60_000, () => clock.now);
    expect(await filter.firstSighting('x', 'ab', 'c')).toBe(true);
    expect(await filter.firstSighting('x', 'a', 'bc')).toBe(true);
  });

  it('asks the shared state when this replica has not seen the key (another replica may have)', async () => {
    const one = new NoticeFilter(state, 60_000, () => clock.now);
    const two = new NoticeFilter(state, 60_000, () => clock.now);
    expect(await one.firstSighting('unifiedpush', 'd', 'h')).toBe(true);
    expect(await two.firstSighting('unifiedpush', 'd', 'h')).toBe(false);
  });

  it('answers repeats within a window locally, and asks the shared state again after two windows', async () => {
    const shared = new InProcessSharedState();
    const filter = new NoticeFilter(shared, 60_000, () => clock.now);
    expect(await filter.firstSighting('s', 'd', 'h')).toBe(true);
    await shared.close(); // from now on any shared-state call throws
    clock.now += 59_000;
    expect(await filter.firstSighting('s', 'd', 'h')).toBe(false);
    clock.now += 60_000;
    expect(await filter.firstSighting('s', 'd', 'h')).toBe(false); // kept in the previous generation
    clock.now += 2 * 60_000 + 1;
    await expect(filter.firstSighting('s', 'd', 'h')).rejects.toThrow('SharedState is closed');
  });
});
