// The account, conversation and contact commands of `starling`, added to the program.
import { Command } from 'commander';
import { Io } from '../output';
import { registerAccountCommands } from './account-commands';
import { registerCommunityCommands } from './community-commands';
import { registerCallCommands } from './call-commands';
import { registerContactCommands } from './contact-commands';
import { registerGroupCommands } from './group-commands';
import { CliDeps, CommandContext } from './context';
import { registerMessagingCommands } from './messaging-commands';
import { registerPushCommands } from './push-commands';

export type { CliDeps } from './context';

export function registerAccountLayerCommands(program: Command, io: Io, deps: CliDeps): void {
  program
    .option('--home <dir>', 'data folder of this device (default $STARLING_HOME or ~/.starling)')
    // Not --seed: `keys --seed` and `blind --seed` take an account seed.
    .option('--seed-url <url>', 'URL of the seed node list of the network (default $STARLING_SEED)')
    .option('--file-server <url>', 'file server for attachments (default $STARLING_FILE_SERVER; remembered in the data folder)')
    .option('--file-server-key <hex>', "the file server's key as attachment links carry it (default $STARLING_FILE_SERVER_KEY; remembered)")
    .option('--push-server <url>', 'push server for push notifications (default $STARLING_PUSH_SERVER; remembered in the data folder)')
    .option('--push-server-key <hex>', "the push server's key, as it prints it (default $STARLING_PUSH_SERVER_KEY; remembered)");
  const ctx = new CommandContext(io, program, deps);
  registerAccountCommands(program, ctx);
  registerMessagingCommands(program, ctx);
  registerContactCommands(program, ctx);
  registerCommunityCommands(program, ctx);
  registerCallCommands(program, ctx);
  registerGroupCommands(program, ctx);
  registerPushCommands(program, ctx);
}
