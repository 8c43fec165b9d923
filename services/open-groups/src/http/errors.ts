import { SogsResponse, textResponse } from './types';

/** A request failure with the status code and short plain-text body that SOGS clients expect. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Set to answer with a JSON body instead of plain text (e.g. 412 `missing`). */
    readonly json?: unknown,
  ) {
    super(message);
  }

  toResponse(): SogsResponse {
    if (this.json !== undefined) {
      return {
        status: this.status,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(this.json)),
      };
    }
    return textResponse(this.message, this.status);
  }
}

export const badRequest = (msg = 'Bad request'): HttpError => new HttpError(400, msg);
export const unauthorized = (msg: string): HttpError => new HttpError(401, msg);
export const forbidden = (msg = 'Permission denied'): HttpError => new HttpError(403, msg);
export const notFound = (msg = 'Not found'): HttpError => new HttpError(404, msg);
export const rateLimited = (msg = 'Rate limited'): HttpError => new HttpError(429, msg);
