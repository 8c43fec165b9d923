// Blocking and the contact list. Blocking is client-side only (client.md 6): the flag syncs to
// our own devices and their polls drop the sender's messages; the network and the sender never know.
import { Command } from 'commander';
import { parseSessionId } from '@starling/crypto';
import { MAX_NAME_BYTES } from '../../config/user-profile';
import { ClientError } from '../../network/errors';
import { contactList, editContact } from '../../sync/config-changes';
import { CommandContext } from './context';
import { pushEdits, syncNote } from './config-push';
import { formatSetting, printable } from './format';

export function registerContactCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;

  for (const [name, blocked] of [['block', true], ['unblock', false]] as const) {
    program
      .command(name)
      .description(blocked ? "drop this Session ID's messages on all your devices" : 'show messages from this Session ID again')
      .argument('<session-id>', 'the Session ID (05...)')
      .option('--json', 'print JSON')
      .action(async (peer: string, opts: { json?: boolean }) => {
        parseSessionId(peer);
        const id = peer.toLowerCase();
        const store = ctx.store();
        store.identity();
        const changed = store.updateState((state) =>
          editContact(state, id, (c) => {
            if (blocked) c.blocked = true;
            else delete c.blocked;
          }, Date.now()),
        );
        const note = syncNote(await pushEdits(ctx, store));
        if (opts.json) io.out(JSON.stringify({ session_id: id, blocked, changed }) + '\n');
        else io.out(`${changed ? (blocked ? 'Blocked' : 'Unblocked') : blocked ? 'Already blocked' : 'Not blocked'}: ${id} (${note})\n`);
      });
  }

  program
    .command('nickname')
    .description('give a contact a name of your own, on all your devices ("" removes it)')
    .argument('<session-id>', 'the Session ID (05...)')
    .argument('<nickname>', 'at most 100 bytes')
    .option('--json', 'print JSON')
    .action(async (peer: string, nickname: string, opts: { json?: boolean }) => {
      parseSessionId(peer);
      const id = peer.toLowerCase();
      const name = nickname.trim();
      if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) throw new ClientError(`a nickname is at most ${MAX_NAME_BYTES} bytes of text`, 'input');
      const store = ctx.store();
      store.identity();
      const changed = store.updateState((state) =>
        editContact(state, id, (c) => {
          if (name) c.nickname = name;
          else delete c.nickname;
        }, Date.now()),
      );
      const note = syncNote(await pushEdits(ctx, store));
      if (opts.json) io.out(JSON.stringify({ session_id: id, nickname: name || null, changed }) + '\n');
      else io.out(`${name ? `Nickname of ${id}: ${printable(name)}` : `No nickname for ${id}`} (${note})\n`);
    });

  program
    .command('contacts')
    .description('list contacts, with block flags and disappearing settings')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const store = ctx.store();
      store.identity();
      const contacts = contactList(store.readState());
      if (opts.json) {
        const rows = contacts.map(([id, c]) => ({
          session_id: id,
          name: c.name ?? null,
          nickname: c.nickname ?? null,
          approved: c.approved === true,
          approved_me: c.approvedMe === true,
          blocked: c.blocked === true,
          disappearing: formatSetting(c.disappearing),
        }));
        io.out(JSON.stringify(rows) + '\n');
        return;
      }
      if (contacts.length === 0) io.out('No contacts yet.\n');
      for (const [id, c] of contacts) {
        const flags = [c.blocked ? 'blocked' : '', c.disappearing ? `disappearing ${formatSetting(c.disappearing)}` : ''].filter(Boolean).join(', ');
        const name = c.name ? printable(c.name) : '';
        const names = c.nickname ? `${printable(c.nickname)}${name ? ` (${name})` : ''}` : name;
        io.out(`${id}${names ? `  ${names}` : ''}${flags ? `  [${flags}]` : ''}\n`);
      }
    });
}
