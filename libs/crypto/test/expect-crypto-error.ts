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
