// Plain HTTP entry to the file API: every path that is not an ops or onion route goes to the
// one dispatcher, which owns routing, method checks and the {"status_code": N} errors.
import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FileRoutes, type FileRequest } from './file-routes';
import { requestBody, sendResponse } from '../http/send-response';

@Controller()
export class FilesController {
  constructor(@Inject(FileRoutes) private readonly routes: FileRoutes) {}

  @All('*')
  async handle(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const request: FileRequest = {
      method: req.method.toUpperCase(),
      path: req.url.split('?', 1)[0]!,
      headers: lowerCaseHeaders(req.headers),
      // The content-type parser leaves the body unread, so uploads stream from the socket.
      body: requestBody(req),
    };
    await sendResponse(req, reply, await this.routes.dispatch(request));
  }
}

function lowerCaseHeaders(headers: FastifyRequest['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
