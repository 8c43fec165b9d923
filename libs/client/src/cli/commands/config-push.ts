// After a local edit of a synced document: push it now when a network is configured, otherwise
// it stays pending in the config and the next network command pushes it.
import { AccountStore } from '../../account/account-store';
import { ClientError } from '../../network/errors';
import { ConfigSync } from '../../sync/config-sync';
import { CommandContext } from './context';

export type SyncOutcome = 'synced' | 'pending';

export async function pushEdits(ctx: CommandContext, store: AccountStore): Promise<SyncOutcome> {
  if (!ctx.seedUrl()) return 'pending';
  try {
    await new ConfigSync(store, await ctx.connect(store)).pushPending();
  } catch (err) {
    if (err instanceof ClientError) throw new ClientError(`saved on this device, but syncing failed: ${err.message}`, err.kind);
    throw err;
  }
  return 'synced';
}

export function syncNote(outcome: SyncOutcome): string {
  return outcome === 'synced' ? 'synced to your other devices' : 'saved on this device; it syncs with the next command that has --seed';
}
