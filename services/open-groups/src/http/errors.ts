// The one place domain errors become HTTP answers: a status code and the error's short text, as
// SOGS answers them (plain text).
import { textReply, type Reply } from '@starling/platform';
import {
  BadInput,
  DomainError,
  Forbidden,
  NotAuthenticated,
  NotFound,
  RateLimited,
  StaleRequest,
  TooLarge,
  Unacceptable,
} from '../domain/errors';

const STATUS_OF: ReadonlyArray<[abstract new (...args: never[]) => DomainError, number]> = [
  [BadInput, 400],
  [NotAuthenticated, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Unacceptable, 406],
  [TooLarge, 413],
  [StaleRequest, 425],
  [RateLimited, 429],
];

export function statusOf(err: DomainError): number {
  for (const [kind, status] of STATUS_OF) if (err instanceof kind) return status;
  return 400; // a domain error this table does not know yet is still the client's
}

export function errorReply(err: DomainError): Reply {
  return textReply(statusOf(err), err.message);
}

