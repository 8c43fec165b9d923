// What can go wrong in the community server, in the domain's words. Models, the authenticator and
// the feature routes raise these; only the HTTP layer (http/errors.ts) turns them into status
// codes. The message is the short text a SOGS client reads (some clients match on it).

export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed: a missing field, a bad encoding, an impossible combination. */
export class BadInput extends DomainError {
  constructor(message = 'Bad request') {
    super(message);
  }
}

/** The request needs a signer, or its signature does not verify. */
export class NotAuthenticated extends DomainError {}

/** The signer may not do this (banned, not a moderator, no write permission…). */
export class Forbidden extends DomainError {
  constructor(message = 'Permission denied') {
    super(message);
  }
}

/** No such room, message, file or user (an inaccessible room looks the same). */
export class NotFound extends DomainError {
  constructor(message = 'Not found') {
    super(message);
  }
}

/** The request refers to something that cannot serve its purpose (a room image from another room). */
export class Unacceptable extends DomainError {}

/** A body over a domain limit (a room file above the configured maximum). */
export class TooLarge extends DomainError {}

/** A request signed too far from now, or with a nonce already used: it may be a replay. */
export class StaleRequest extends DomainError {}

/** Too many posts in the rate window. */
export class RateLimited extends DomainError {
  constructor(message = 'Rate limited') {
    super(message);
  }
}
