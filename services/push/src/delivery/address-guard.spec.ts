import { AddressRefused, isPublicAddress, publicOnlyLookup } from './address-guard';

describe('public addresses', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['100.64.0.1', false],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not an address', false],
  ])('%s -> %s', (address, expected) => expect(isPublicAddress(address)).toBe(expected));
});

describe('the connect-time lookup guard', () => {
  it('fails for a name that resolves to loopback (localhost, from the hosts file)', async () => {
    const err = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', { all: true }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(AddressRefused);
  });
});
