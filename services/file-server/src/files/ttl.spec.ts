import { BadTtl, resolveTtl } from './ttl';

const policy = { defaultTtlSeconds: 100, minTtlSeconds: 30, maxTtlSeconds: 1000 };

describe('X-FS-TTL', () => {
  it.each([
    [undefined, 100],
    ['50', 50],
    [' 50 ', 50],
    ['0', 30],
    ['29', 30],
    ['1000', 1000],
    ['1000000000000', 1000],
  ])('%j resolves to %i', (header, expected) => {
    expect(resolveTtl(header, policy, policy.defaultTtlSeconds)).toBe(expected);
  });

  it.each(['', 'abc', '-1', '1.5', '1e3', '0x10', '10000000000000000'])('%j is a bad TTL', (header) => {
    expect(() => resolveTtl(header, policy, 100)).toThrow(BadTtl);
  });
});
