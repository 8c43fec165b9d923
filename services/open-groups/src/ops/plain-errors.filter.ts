import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Failures detected before our dispatcher runs (unknown method, body over the cap, broken
 * framing) reach Nest's handlers; answer them the SOGS way, as short plain text.
 */
@Catch()
export class PlainTextErrorsFilter implements ExceptionFilter {
  constructor(private readonly onTooLarge: () => void) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const raw = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: number })?.statusCode;
    const status = raw && raw >= 400 && raw < 600 ? raw : 500;
    if (status === 413) this.onTooLarge();
    const text = status === 404 ? 'Not found' : status === 413 ? 'Request too large' : status < 500 ? 'Bad request' : 'Internal server error';
    void reply.code(status).header('content-type', 'text/plain; charset=utf-8').send(text);
  }
}
