// GET /turn/credentials (calls, client.md 6): clients fetch it through an onion path, so no
// address is seen here. Registered only when TURN is configured; otherwise the path is unknown (404).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jsonReply } from '@starling/platform';
import { FILE_SERVER_CONFIG, type FileServerConfig } from '../config';
import { issueTurnCredentials } from '../turn/turn-credentials';
import { FileServerRouter } from './router';

@Injectable()
export class TurnRoutes implements OnModuleInit {
  constructor(
    private readonly router: FileServerRouter,
    @Inject(FILE_SERVER_CONFIG) private readonly config: FileServerConfig,
  ) {}

  onModuleInit(): void {
    const turn = this.config.turn;
    if (!turn) return;
    // no-store: a credential is per request, and a cache would hand one to two callers.
    this.router.add('GET', '/turn/credentials', async () => jsonReply(200, issueTurnCredentials(turn), { 'cache-control': 'no-store' }));
  }
}
