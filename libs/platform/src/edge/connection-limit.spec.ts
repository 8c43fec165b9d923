import { defaultMaxConnections, DEFAULT_MAX_CONNECTIONS, openFileLimit, RESERVED_DESCRIPTORS } from './connection-limit';

const limits = (soft: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                20000                files\n`;

describe('the default connection cap', () => {
  it('reads the soft open-file limit', () => {
    expect(openFileLimit(limits('1024'))).toBe(1024);
    expect(openFileLimit(limits('unlimited'))).toBe(Infinity);
    expect(openFileLimit('no such line')).toBeUndefined();
  });

  it('leaves descriptors free under a low limit, and stays at the default under a high one', () => {
    expect(defaultMaxConnections(1024)).toBe(1024 - RESERVED_DESCRIPTORS);
    expect(defaultMaxConnections(1_048_576)).toBe(DEFAULT_MAX_CONNECTIONS);
    expect(defaultMaxConnections(Infinity)).toBe(DEFAULT_MAX_CONNECTIONS);
    expect(defaultMaxConnections(undefined)).toBe(DEFAULT_MAX_CONNECTIONS);
    expect(defaultMaxConnections(100)).toBe(64);
  });
});
