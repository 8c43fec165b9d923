import { nextTestDelay, standardNormal } from './test-schedule';

const upstream = { intervalMs: 10_000, jitterMs: 3_000, backoffMs: 10_000, maxIntervalMs: 120_000 };

describe('nextTestDelay', () => {
  it('is the mean plus jitter for a healthy node', () => {
    expect(nextTestDelay(0, upstream, () => 0)).toBe(10_000);
    expect(nextTestDelay(0, upstream, () => 1)).toBe(13_000);
    expect(nextTestDelay(0, upstream, () => -1)).toBe(7_000);
  });

  it('never schedules at or before now, however negative the draw', () => {
    expect(nextTestDelay(0, upstream, () => -50)).toBe(1_000);
  });

  it('backs off linearly with the failures and caps at the maximum', () => {
    expect(nextTestDelay(1, upstream, () => 0)).toBe(20_000);
    expect(nextTestDelay(3, upstream, () => 0)).toBe(40_000);
    expect(nextTestDelay(50, upstream, () => 0)).toBe(120_000);
  });

  it('draws around 0 with spread 1', () => {
    const draws = Array.from({ length: 20_000 }, () => standardNormal());
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
    expect(draws.every(Number.isFinite)).toBe(true);
  });
});
