import { expectCryptoError } from '../test/expect-crypto-error';
import { fromHex } from './encoding';
import { closestSwarm, swarmSpacePosition } from './swarm-space';
import { closestSwarmVectors, swarmPositionVectors } from './vectors/swarm.vectors';

describe('swarm space position vectors', () => {
  it.each(swarmPositionVectors.map((v) => [v.accountId, v.position] as const))('%s -> %s', (accountId, position) => {
    const account = fromHex(accountId, 33);
    expect(swarmSpacePosition(account)).toBe(position);
    expect(swarmSpacePosition(account.subarray(1))).toBe(position); // the prefix plays no part
  });

  it('rejects other lengths', () => {
    expectCryptoError(() => swarmSpacePosition(new Uint8Array(31)), 'BAD_LENGTH');
    expectCryptoError(() => swarmSpacePosition(new Uint8Array(34)), 'BAD_LENGTH');
  });
});

describe('closest swarm vectors', () => {
  it.each(closestSwarmVectors.map((v) => [v.position, v.swarm, v.swarms.length, v] as const))(
    'position %s -> swarm %s (%i swarms)',
    (_p, _s, _n, v) => {
      expect(closestSwarm(v.position, v.swarms)).toBe(v.swarm);
      // The order the ids arrive in must not matter.
      expect(closestSwarm(v.position, [...v.swarms].reverse())).toBe(v.swarm);
    },
  );

  it('gives the only swarm when there is one', () => {
    expect(closestSwarm(0n, [12345n])).toBe(12345n);
    expect(closestSwarm((1n << 64n) - 1n, [12345n])).toBe(12345n);
  });

  it('rejects no swarms and values outside u64', () => {
    expectCryptoError(() => closestSwarm(1n, []), 'MALFORMED');
    expectCryptoError(() => closestSwarm(-1n, [1n]), 'MALFORMED');
    expectCryptoError(() => closestSwarm(1n << 64n, [1n]), 'MALFORMED');
    expectCryptoError(() => closestSwarm(1n, [1n << 64n]), 'MALFORMED');
  });
});
