import { TransferSweep } from './slow-transfers';

describe('TransferSweep', () => {
  let now = 0;
  let sweep: TransferSweep;
  const pace = { minBytesPerSecond: 1000, windowMs: 5_000 };
  beforeEach(() => {
    now = 0;
    sweep = new TransferSweep(1_000, () => now);
  });
  afterEach(() => sweep.close());

  it('cuts a transfer that moved less than the floor over a whole window, once', () => {
    let moved = 0;
    const stalled = jest.fn();
    sweep.watch(pace, () => moved, stalled);
    moved = 100;
    now = 4_999;
    sweep.sweep();
    expect(stalled).not.toHaveBeenCalled(); // its first window is not over
    now = 5_000;
    sweep.sweep();
    expect(stalled).toHaveBeenCalledTimes(1);
    sweep.sweep();
    expect(stalled).toHaveBeenCalledTimes(1);
    expect(sweep.size).toBe(0);
  });

  it('judges each window on its own: a fast start does not buy a stall later', () => {
    let moved = 0;
    const stalled = jest.fn();
    sweep.watch(pace, () => moved, stalled);
    moved = 1_000_000; // a fast first window
    now = 5_000;
    sweep.sweep();
    expect(stalled).not.toHaveBeenCalled();
    now = 10_000; // then nothing for a whole window
    sweep.sweep();
    expect(stalled).toHaveBeenCalledTimes(1);
  });

  it('leaves a transfer at the floor, and forgets a finished one', () => {
    let moved = 0;
    const steady = jest.fn();
    const finished = jest.fn();
    sweep.watch(pace, () => moved, steady);
    sweep.watch(pace, () => 0, finished).done();
    moved = 5_000;
    now = 5_000;
    sweep.sweep();
    expect([steady, finished].map((f) => f.mock.calls.length)).toEqual([0, 0]);
    expect(sweep.size).toBe(1);
  });

  it('watches nothing without a floor', () => {
    const stalled = jest.fn();
    sweep.watch({ minBytesPerSecond: 0, windowMs: 1 }, () => 0, stalled);
    now = 10_000;
    sweep.sweep();
    expect(sweep.size).toBe(0);
    expect(stalled).not.toHaveBeenCalled();
  });
});
