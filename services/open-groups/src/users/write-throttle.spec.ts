import { WriteThrottle } from './write-throttle';

describe('WriteThrottle', () => {
  it('is due until a write is recorded, then again after the interval', () => {
    const t = new WriteThrottle(60, 10);
    expect(t.due('a', 1000)).toBe(true);
    t.record('a', 1000);
    expect(t.due('a', 1059)).toBe(false);
    expect(t.due('a', 1060)).toBe(true);
    expect(t.due('b', 1001)).toBe(true);
  });

  it('is due when the clock went backwards or the row was forgotten', () => {
    const t = new WriteThrottle(60, 10);
    t.record('a', 1000);
    expect(t.due('a', 999)).toBe(true);
    t.forget('a');
    expect(t.due('a', 1001)).toBe(true);
  });

  it('keeps at most maxKeys, dropping the least recently written', () => {
    const t = new WriteThrottle(60, 3);
    for (const key of ['a', 'b', 'c']) t.record(key, 1000);
    t.record('a', 1001); // a is now the newest
    t.record('d', 1002);
    expect(t.size).toBe(3);
    expect(t.due('b', 1003)).toBe(true);
    expect(t.due('a', 1003)).toBe(false);
    expect(t.due('c', 1003)).toBe(false);
  });
});
