import { CryptoError, CryptoErrorCode } from '../src/errors';

/** Runs `fn` and asserts it throws a CryptoError with `code`; returns the error for more checks. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): CryptoError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
  return caught as CryptoError;
}

/** The `code` of what `fn` throws, or 'no error': for tables of bad inputs and their codes. */
export function errorCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
}
