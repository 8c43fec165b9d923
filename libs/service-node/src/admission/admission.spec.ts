import { SharedState, testSharedStates } from '@starling/platform';
import { AdmissionControl } from './admission';

describe.each(testSharedStates())('admission control on $name shared state', ({ open }) => {
  let state: SharedState;
  beforeEach(async () => {
    state = await open();
  });
  afterEach(() => state.close());

  it('lets a client burst up to the bucket, then answers 429 with a retry time', async () => {
    const admission = new AdmissionControl(state, { capacity: 3, refillPerSecond: 1, maxInFlight: 100 });
    for (let i = 0; i < 3; i++) {
      const a = await admission.admit('198.51.100.7');
      expect(a.admitted).toBe(true);
      if (a.admitted) a.release();
    }
    const refused = await admission.admit('198.51.100.7');
    expect(refused).toMatchObject({ admitted: false, status: 429, reason: 'rate_limited' });
    expect(refused.admitted === false && refused.retryAfterMs).toBeGreaterThan(0);
    // Another client has its own bucket.
    expect((await admission.admit('198.51.100.8')).admitted).toBe(true);
  });

  it('shares buckets between replicas that share the secret, and only then', async () => {
    const secret = 'a shared rate limit secret';
    const first = new AdmissionControl(state, { capacity: 1, refillPerSecond: 1, maxInFlight: 10, secret });
    const second = new AdmissionControl(state, { capacity: 1, refillPerSecond: 1, maxInFlight: 10, secret });
    const stranger = new AdmissionControl(state, { capacity: 1, refillPerSecond: 1, maxInFlight: 10 });
    expect((await first.admit('203.0.113.1')).admitted).toBe(true);
    expect((await second.admit('203.0.113.1')).admitted).toBe(false);
    expect((await stranger.admit('203.0.113.1')).admitted).toBe(true);
  });

  it('refuses with 503 while too many requests are in progress, and admits again after release', async () => {
    const admission = new AdmissionControl(state, { capacity: 100, refillPerSecond: 100, maxInFlight: 2 });
    const a = await admission.admit('192.0.2.1');
    const b = await admission.admit('192.0.2.2');
    expect(await admission.admit('192.0.2.3')).toMatchObject({ admitted: false, status: 503, reason: 'overloaded' });
    if (a.admitted) {
      a.release();
      a.release(); // a second release must not free a second slot
    }
    expect(admission.current).toBe(1);
    expect((await admission.admit('192.0.2.3')).admitted).toBe(true);
    if (b.admitted) b.release();
  });

  it('never keeps the client address in shared state', async () => {
    const keys: string[] = [];
    const spy: SharedState = { ...state, takeToken: (key, bucket) => (keys.push(key), state.takeToken(key, bucket)) } as SharedState;
    await new AdmissionControl(spy, { capacity: 5, refillPerSecond: 5, maxInFlight: 5 }).admit('198.51.100.77');
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('198.51.100.77');
  });
});
