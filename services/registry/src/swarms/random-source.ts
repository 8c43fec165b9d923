// Where swarm formation draws its random choices from. The leader uses the operating system's
// CSPRNG for every epoch (no one can predict which swarm a new node will join); tests use a
// seeded generator so that a failing case can be replayed.
import { randomInt } from 'crypto';

export interface RandomSource {
  /** Uniform integer in [0, n); n >= 1. */
  below(n: number): number;
}

export const cryptoRandom: RandomSource = { below: (n) => randomInt(n) };

/** mulberry32: small, fast, good enough for property tests; NOT for production choices. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    below(n) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return Math.floor(u * n);
    },
  };
}
