// Background work every few seconds (§4.4): expired files, old edit history, expired DMs, spent
// nonces past their window, stale room activity and active-user counts, and due permission and
// ban changes. Each step is one
// statement (or one transaction) in the model that owns the data, so replicas may run it
// concurrently without harm. Starts with the service; stops before the service drains.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DATABASE, LOGGER, type Database, type Logger } from '@starling/platform';
import type { OpenGroupsConfig } from '../config';
import { NONCES } from '../auth/auth.module';
import type { NonceStore } from '../auth/nonces';
import { DmsModel } from '../dms/dms.model';
import { FilesModel } from '../files/files.model';
import { MessagesModel } from '../messages/messages.model';
import { ModerationModel } from '../moderation/moderation.model';
import { PermissionsModel } from '../moderation/permissions.model';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, OPEN_GROUPS_CONFIG, SETTINGS, type Clock, type ServerSettings } from '../settings';

const DAY = 86400;
const HISTORY_KEEP = 30 * DAY;
const ACTIVITY_KEEP = 60 * DAY;

@Injectable()
export class CleanupJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(SETTINGS) private readonly settings: ServerSettings,
    @Inject(OPEN_GROUPS_CONFIG) private readonly config: OpenGroupsConfig,
    private readonly rooms: RoomsModel,
    private readonly files: FilesModel,
    private readonly messages: MessagesModel,
    private readonly dms: DmsModel,
    private readonly permissions: PermissionsModel,
    private readonly moderation: ModerationModel,
    @Inject(NONCES) private readonly nonces: NonceStore,
  ) {}

  /** Every `cleanupInterval` ms; 0 schedules nothing (tests call runOnce). */
  onApplicationBootstrap(): void {
    if (!this.config.cleanupInterval) return;
    this.timer = setInterval(() => {
      if (this.running) return; // a slow run is never overlapped by the next
      this.running = this.runOnce()
        .catch((err) => this.logger.error({ err }, 'cleanup failed'))
        .finally(() => (this.running = undefined));
    }, this.config.cleanupInterval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(): Promise<void> {
    const { db } = this;
    const now = this.now();
    await this.files.deleteExpired(db, now);
    await this.messages.pruneHistory(db, now - HISTORY_KEEP);
    await this.dms.deleteExpired(db, now);
    await this.nonces.prune(now);
    await this.rooms.recountActiveUsers(db, now - ACTIVITY_KEEP, now - this.settings.activeUsersCutoffSeconds);
    await this.permissions.applyDueChanges(db, now);
    await this.moderation.applyDueBans(db, now);
  }
}
