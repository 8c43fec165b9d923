// What the charts rely on and the services' code does not do yet. Each list is checked both ways:
// a name here that the code already has fails too, so the list shrinks to nothing as the code
// lands. Empty: every variable the charts set is read by a service's config spec or the platform.

/** Environment variables the charts set that no service config spec reads yet. */
export const PENDING_ENV: ReadonlySet<string> = new Set<string>();
