/** Every failure of this library: callers switch on `code`, people read `message`. */
export type CryptoErrorCode =
  | 'BAD_LENGTH'
  | 'BAD_ENCODING'
  | 'BAD_KEY'
  | 'BAD_SIGNATURE'
  | 'DECRYPT_FAILED'
  | 'MALFORMED'
  | 'UNKNOWN_WORD'
  | 'BAD_CHECKSUM'
  | 'UNSUPPORTED';

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
