// The push server's error codes (upstream spns/hive/subscription.hpp SUBSCRIBE). Every refusal of
// /subscribe and /unsubscribe is HTTP 200 with {"error": code, "message": text}, as upstream.

export const SubscribeCode = {
  /** Unparseable, invalid values, missing required arguments. */
  BAD_INPUT: 1,
  /** The requested service is not offered by this server. */
  SERVICE_NOT_AVAILABLE: 2,
  /** The backend did not answer in time. */
  SERVICE_TIMEOUT: 3,
  /** Any other refusal, with details in the message (bad signature, stale timestamp, ...). */
  ERROR: 4,
  /** An internal failure while handling the request. */
  INTERNAL_ERROR: 5,
} as const;

export type SubscribeCodeValue = (typeof SubscribeCode)[keyof typeof SubscribeCode];

export class SubscribeError extends Error {
  constructor(
    readonly code: SubscribeCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'SubscribeError';
  }
}

/** Upstream's answer when a failure's details must not reach the client. */
export const GENERIC_FAILURE = 'An error occured while processing your request';

export const refuse = (message: string) => new SubscribeError(SubscribeCode.ERROR, message);
