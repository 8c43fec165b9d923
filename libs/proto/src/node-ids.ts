/** Swarm id carried by relays and by storage nodes not (yet) in a swarm: 2^64 - 1, as upstream. */
export const NO_SWARM_ID = '18446744073709551615';
