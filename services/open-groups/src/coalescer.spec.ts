// The Coalescer behind the polling path's shared queries: keys asked while queries run go
// together in the next one, each caller gets its own answer, and a failed query fails only its
// own callers.
import { Coalescer } from './coalescer';

/** A query function whose calls finish when the test says so. */
function controlledQueries() {
  const calls: Array<{ keys: number[]; finish: () => void; fail: (err: Error) => void }> = [];
  const run = (keys: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ keys, finish: () => resolve(keys.map((k) => `value-${k}`)), fail: reject });
    });
  return { calls, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('sends at once while idle, then groups the keys that waited', async () => {
    const { calls, run } = controlledQueries();
    const coalescer = new Coalescer(run, 2);
    const answers = [1, 2, 3, 4, 5].map((k) => coalescer.get(k));
    await settle();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2]]); // two in flight; 3, 4, 5 wait
    calls[1].finish();
    await settle();
    expect(calls.map((c) => c.keys)).toEqual([[1], [2], [3, 4, 5]]);
    calls[0].finish();
    calls[2].finish();
    expect(await Promise.all(answers)).toEqual(['value-1', 'value-2', 'value-3', 'value-4', 'value-5']);
  });

  it('caps a batch at maxBatch keys', async () => {
    const { calls, run } = controlledQueries();
    const coalescer = new Coalescer(run, 1, 2);
    const answers = [1, 2, 3, 4].map((k) => coalescer.get(k));
    await settle();
    calls[0].finish();
    await settle();
    calls[1].finish();
    await settle();
    calls[2].finish();
    expect(await Promise.all(answers)).toEqual(['value-1', 'value-2', 'value-3', 'value-4']);
    expect(calls.map((c) => c.keys)).toEqual([[1], [2, 3], [4]]);
  });

  it('fails the callers of a failed query only, and keeps going', async () => {
    const { calls, run } = controlledQueries();
    const coalescer = new Coalescer(run, 1);
    const first = coalescer.get(1);
    const waiting = [2, 3].map((k) => coalescer.get(k));
    await settle();
    calls[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settle();
    expect(calls[1].keys).toEqual([2, 3]);
    calls[1].finish();
    expect(await Promise.all(waiting)).toEqual(['value-2', 'value-3']);
  });
});
