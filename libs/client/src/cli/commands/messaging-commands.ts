// Sending, reading and watching 1:1 messages, and the per-conversation disappearing setting.
import { Command, Option } from 'commander';
import { parseSessionId } from '@starling/crypto';
import { DisappearingSetting } from '../../account/account-state';
import { parseMode, parseTimer } from '../../conversations/disappearing';
import { Inbox, InboxEntry, PollResult } from '../../conversations/inbox';
import { MAX_TEXT_BYTES, MessageSender } from '../../conversations/send';
import { ClientError } from '../../network/errors';
import { editContact } from '../../sync/config-changes';
import { Io } from '../output';
import { defaultDownloadDir, formatSaved, SavedAttachment, savedJson, saveAttachments, uploadFiles } from './attachment-steps';
import { pushEdits, syncNote } from './config-push';
import { CommandContext } from './context';
import { GroupActions } from '../../groups/group-actions';
import { GroupStore } from '../../groups/group-store';
import { formatInvitation, groupEntryJson, groupPollJson, printGroupPoll } from './group-commands';
import { pollLimit, watchLoop } from './watch-loop';
import { entryJson, formatEntry, formatSetting, formatTime } from './format';

export function registerMessagingCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;

  program
    .command('send')
    .description('send a text message and/or files to a Session ID (through onion paths)')
    .argument('<session-id>', "the recipient's Session ID (05...)")
    .argument('[text]', 'the message; without it (and without --file), or as "-", read from standard input')
    .option('--file <path>', 'attach a file (at most 10,000,000 bytes; repeat for several)', collect, [])
    .option('--disappear <mode>', 'after-send, after-read or off for this message (default: the conversation setting)')
    .option('--timer <duration>', 'disappearing timer, e.g. 5m, 1h, 12h, 1d, 1w')
    .option('--json', 'print JSON')
    .action(async (recipient: string, text: string | undefined, opts: { file: string[]; disappear?: string; timer?: string; json?: boolean }) => {
      parseSessionId(recipient);
      const override = disappearingOption(opts.disappear, opts.timer);
      const store = ctx.store();
      store.identity();
      ctx.requireSeedUrl();
      if (text === '-' || (text === undefined && opts.file.length === 0)) text = await messageFromInput(io);
      const swarm = await ctx.connect(store);
      const attachments = await uploadFiles(ctx, store, opts.file, !!opts.json);
      const sent = await new MessageSender(store, swarm).sendText(recipient, text ?? '', override, attachments);
      if (opts.json) {
        io.out(JSON.stringify({ recipient: sent.recipient, sent_at: sent.sentAtMs, hash: sent.hash, ttl_ms: sent.ttlMs, disappearing: formatSetting(sent.disappearing), files: attachments.map((a) => ({ file_name: a.fileName, size: a.size, url: a.url })) }) + '\n');
      } else {
        io.out(`Sent to ${sent.recipient} at ${formatTime(sent.sentAtMs)} (disappearing: ${formatSetting(sent.disappearing)}${attachments.length ? `, ${attachments.length} file(s)` : ''})\n`);
      }
    });

  program
    .command('disappearing')
    .description('set disappearing messages for a conversation: off, after-send or after-read with a timer')
    .argument('<session-id>', 'the other side of the conversation')
    .argument('<mode>', 'off, after-send or after-read')
    .argument('[timer]', 'e.g. 5m, 1h, 12h, 1d, 1w, 2w (required unless off)')
    .option('--json', 'print JSON')
    .action(async (peer: string, modeText: string, timerText: string | undefined, opts: { json?: boolean }) => {
      parseSessionId(peer);
      const id = peer.toLowerCase();
      const setting = settingFrom(parseMode(modeText), timerText);
      const store = ctx.store();
      store.identity();
      store.updateState((state) =>
        editContact(state, id, (c) => {
          if (setting) c.disappearing = setting;
          else delete c.disappearing;
        }, Date.now()),
      );
      const note = syncNote(await pushEdits(ctx, store));
      if (opts.json) io.out(JSON.stringify({ session_id: id, disappearing: formatSetting(setting) }) + '\n');
      else io.out(`Disappearing messages with ${id}: ${formatSetting(setting)} (${note})\n`);
    });

  program
    .command('inbox')
    .description('poll your swarm once, print new messages and save their files')
    .option('--save-dir <dir>', 'where received files go (default <data folder>/downloads)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean; saveDir?: string }) => {
      const store = ctx.store();
      const swarm = await ctx.connect(store);
      const inbox = new Inbox(store, swarm);
      const result = await inbox.poll();
      // Groups too: invitations just taken from approved contacts are polled at once.
      const groups = await new GroupActions(store, new GroupStore(store.home), swarm).pollAll();
      const groupEntries = groups.results.flatMap((r) => r.entries);
      const dir = opts.saveDir ?? defaultDownloadDir(ctx);
      const saved = await saveAttachments(ctx, store, result.entries, dir, !!opts.json);
      const savedInGroups = await saveAttachments(ctx, store, groupEntries, dir, !!opts.json);
      if (opts.json) {
        const messages = result.entries.map((e) => (saved.has(e) ? { ...entryJson(e), attachments: savedJson(saved.get(e)) } : entryJson(e)));
        const invitations = result.groupInvitations.map((i) => ({ group_id: i.groupId, name: i.name, kind: i.kind, from: i.from, pending: i.pending }));
        io.out(JSON.stringify({ messages, rejected: result.rejected, blocked: result.blocked, group_invitations: invitations, ...prefixed(groupPollJson(groups, savedInGroups)) }) + '\n');
      } else {
        if (result.entries.length === 0 && groupEntries.length === 0 && result.groupInvitations.length === 0) io.out('No new messages.\n');
        printPoll(io, result, saved);
        printGroupPoll(io, groups, savedInGroups);
      }
      const failed = [...saved.values(), ...savedInGroups.values()].flat().filter((r) => r.error).length;
      if (failed > 0) throw new ClientError(`${failed} attachment(s) could not be saved (${opts.json ? 'see their "error"' : 'see above'})`, 'refused');
    });

  program
    .command('watch')
    .description('poll your swarm every 2 seconds and print messages as they arrive, until Ctrl-C')
    .option('--json', 'print one JSON object per message')
    .addOption(new Option('--polls <n>', 'stop after n polls (for scripts)').hideHelp())
    .action(async (opts: { json?: boolean; polls?: string }) => {
      const store = ctx.store();
      const swarm = await ctx.connect(store);
      const inbox = new Inbox(store, swarm);
      const groups = new GroupActions(store, new GroupStore(store.home), swarm);
      await watch(io, inbox, groups, pollLimit(opts.polls), !!opts.json);
    });
}

async function watch(io: Io, inbox: Inbox, groups: GroupActions, limit: number, json: boolean): Promise<void> {
  if (!json) io.out('Watching for messages (Ctrl-C to stop)\n');
  await watchLoop(io, limit, json, async () => {
    const result = await inbox.poll();
    const inGroups = await groups.pollAll();
    if (json) {
      for (const e of result.entries) io.out(JSON.stringify(entryJson(e)) + '\n');
      for (const e of inGroups.results.flatMap((r) => r.entries)) io.out(JSON.stringify(groupEntryJson(e)) + '\n');
    } else {
      printPoll(io, result);
      printGroupPoll(io, inGroups);
    }
  });
}

/** The message piped in (or typed, ended with Ctrl-D); one final line break is the terminal's, not the message's. */
async function messageFromInput(io: Io): Promise<string> {
  if (!io.input) throw new ClientError('give the message text, or --file <path>', 'input');
  if (io.input.isTerminal) io.err('Type the message, then Ctrl-D on a line of its own to send it.\n');
  // A byte more than the limit for the line break, so that sendText names the real limit.
  const text = (await io.input.readAll(MAX_TEXT_BYTES + 2)).replace(/\r?\n$/, '');
  if (text.trim() === '') throw new ClientError('the message is empty: give text, pipe it to standard input, or --file <path>', 'input');
  return text;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function printPoll(io: Io, result: PollResult, saved?: Map<InboxEntry, SavedAttachment[]>): void {
  for (const entry of result.entries) io.out(formatEntry(entry) + formatSaved(saved?.get(entry)));
  for (const invitation of result.groupInvitations) io.out(formatInvitation(invitation));
  const dropped = [result.blocked ? `${result.blocked} from blocked senders` : '', result.rejected ? `${result.rejected} unreadable` : ''].filter(Boolean);
  if (dropped.length > 0) io.out(`(dropped ${dropped.join(', ')})\n`);
  if (result.expireFailures > 0) io.err(`starling: ${result.expireFailures} read messages could not be set to disappear yet\n`);
}

function settingFrom(mode: DisappearingSetting['mode'] | 'off', timerText: string | undefined): DisappearingSetting | null {
  if (mode === 'off') {
    if (timerText !== undefined) throw new ClientError('a timer makes no sense with "off"', 'input');
    return null;
  }
  if (timerText === undefined) throw new ClientError(`${mode} needs a timer, e.g. 5m, 1h, 1d`, 'input');
  return { mode, timerSeconds: parseTimer(timerText) };
}

/** --disappear/--timer of send: undefined = use the conversation setting, null = off. */
function disappearingOption(mode: string | undefined, timer: string | undefined): DisappearingSetting | null | undefined {
  if (mode === undefined) {
    if (timer !== undefined) throw new ClientError('--timer needs --disappear after-send or after-read', 'input');
    return undefined;
  }
  return settingFrom(parseMode(mode), timer);
}

/** The group part of `inbox --json`, its keys prefixed so they do not clash with the 1:1 ones. */
function prefixed(groupJson: Record<string, unknown>): Record<string, unknown> {
  return { group_messages: groupJson.messages, groups: groupJson.groups, group_failures: groupJson.failures };
}
