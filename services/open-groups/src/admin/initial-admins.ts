// OPEN_GROUPS_INITIAL_ADMINS: the global admins a new community starts with, so that its operator
// can moderate from a Session client at once. Applied once, by the first start that has the
// setting (recorded in server_state, so that a later removal with the command line sticks, and
// replicas starting together apply it once); later changes go through `starling-sogs moderators`.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, LOGGER, type Database, type Logger } from '@starling/platform';
import { initialAdmins, type OpenGroupsConfig } from '../config';
import { ModerationModel } from '../moderation/moderation.model';
import { CLOCK, OPEN_GROUPS_CONFIG, type Clock } from '../settings';
import { UsersModel } from '../users/users.model';

const SEEDED = 'initial_admins_seeded';

@Injectable()
export class InitialAdmins implements OnModuleInit {
  constructor(
    @Inject(OPEN_GROUPS_CONFIG) private readonly config: OpenGroupsConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly users: UsersModel,
    private readonly moderation: ModerationModel,
  ) {}

  async onModuleInit(): Promise<void> {
    const ids = initialAdmins(this.config);
    if (!ids.length) return;
    const seeded = await this.db.transaction(async (tx) => {
      const first = await tx.query('INSERT INTO server_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [SEEDED, String(this.now())]);
      if (!first.rowCount) return false;
      for (const id of ids) {
        const user = await this.users.resolveTarget(tx, id, this.now());
        // Hidden, as global moderators are by default.
        await this.moderation.changeRole(tx, user.id, null, { moderator: true, admin: true }, { visible: false, demoteOnly: false });
      }
      return true;
    });
    if (seeded) this.logger.info({ admins: ids.length }, 'initial global admins appointed');
  }
}
