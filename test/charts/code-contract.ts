// What the charts already rely on and the services' code does not do yet (issue 17: the lead
// implements it in services/ and libs/). Each list is checked both ways: a name here that the code
// already has fails too, so the list shrinks to nothing as the code lands, and then goes.

/** Environment variables the charts set that no config.ts reads yet: the ops port and the drain delay. */
export const PENDING_ENV = new Set(
  ['FILE_SERVER', 'OPEN_GROUPS'].flatMap((prefix) => [`${prefix}_OPS_PORT`, `${prefix}_DRAIN_DELAY`]),
);
