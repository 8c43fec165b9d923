// The subscription table's migrations (files under services/push/migrations, applied at start).
import * as path from 'path';
import { migrate, type AppliedMigration, type Database } from '@starling/platform';

/** From src/subscriptions and from dist/subscriptions alike. */
export const PUSH_MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

export function migratePush(db: Database): Promise<AppliedMigration[]> {
  return migrate(db, PUSH_MIGRATIONS_DIR);
}
