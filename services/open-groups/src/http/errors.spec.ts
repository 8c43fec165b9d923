// Domain errors become SOGS answers in one place: status by kind, the error's own text, plain text.
import { BadInput, Forbidden, NotAuthenticated, NotFound, RateLimited, StaleRequest, TooLarge, Unacceptable } from '../domain/errors';
import { errorReply, statusOf } from './errors';

describe('errorReply', () => {
  it.each([
    [new BadInput('Missing JSON body'), 400],
    [new NotAuthenticated('X-SOGS-* request authentication required'), 401],
    [new Forbidden(), 403],
    [new NotFound('No such room'), 404],
    [new Unacceptable('Image file must be uploaded to this room'), 406],
    [new TooLarge('File too large'), 413],
    [new StaleRequest('Invalid authentication: X-SOGS-Nonce cannot be reused'), 425],
    [new RateLimited(), 429],
  ])('answers %s with %i and its text', (err, status) => {
    expect(statusOf(err)).toBe(status);
    const reply = errorReply(err);
    expect(reply.status).toBe(status);
    expect(reply.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8' });
    expect(Buffer.from(reply.body).toString()).toBe(err.message);
  });

  it('keeps the SOGS default texts', () => {
    expect(new Forbidden().message).toBe('Permission denied');
    expect(new NotFound().message).toBe('Not found');
    expect(new RateLimited().message).toBe('Rate limited');
    expect(new BadInput().name).toBe('BadInput');
  });
});
