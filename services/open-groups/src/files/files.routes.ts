// POST /room/:token/file and GET /room/:token/file/:id[/:name] (§1.8).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { bytesReply, DATABASE, jsonReply, OCTET_TYPE, type Database, type Reply } from '@starling/platform';
import { BadInput, Forbidden, NotFound, TooLarge } from '../domain/errors';
import { Router, type RouteContext } from '../http/router';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, SETTINGS, type Clock, type ServerSettings } from '../settings';
import { contentDisposition, filenameFromDisposition } from './filename';
import { FilesModel } from './files.model';

const httpDate = (seconds: number) => new Date(seconds * 1000).toUTCString();

@Injectable()
export class FileRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly files: FilesModel,
    @Inject(SETTINGS) private readonly settings: ServerSettings,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  private async download({ user, params }: RouteContext): Promise<Reply> {
    const { room } = await this.rooms.getFor(this.db, params.token, user, 'read');
    const file = await this.files.find(this.db, room.id, Number(params.id), this.now());
    if (!file) throw new NotFound('No such file');
    const headers: Record<string, string> = { 'content-disposition': contentDisposition(file.filename), date: httpDate(file.uploaded) };
    if (file.expiry !== null) headers.expires = httpDate(file.expiry);
    return bytesReply(200, OCTET_TYPE, file.data, headers);
  }

  onModuleInit(): void {
    const download = (rc: RouteContext) => this.download(rc);
    this.router.add(
      {
        method: 'POST',
        pattern: '/room/<token:token>/file',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const { room, access } = await this.rooms.getToWrite(this.db, params.token, user);
          if (!access.upload) throw new Forbidden('You do not have permission to upload to this room');
          if (req.body.length === 0) throw new BadInput('No file data');
          if (req.body.length > this.settings.maxFileBytes) throw new TooLarge('File too large');
          const now = this.now();
          const id = await this.files.add(this.db, {
            room: room.id,
            uploader: user!.id,
            data: req.body,
            filename: filenameFromDisposition(req.headers['content-disposition']),
            uploaded: now,
            expiry: now + this.settings.uploadClaimSeconds,
          });
          return jsonReply(201, { id });
        },
      },
      { method: 'GET', pattern: '/room/<token:token>/file/<id:int>', handler: download },
      { method: 'GET', pattern: '/room/<token:token>/file/<id:int>/<name:rest>', handler: download },
    );
  }
}
