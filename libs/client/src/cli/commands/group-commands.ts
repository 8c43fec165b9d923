// `starling group …`: private groups as the Session apps have them (groups/): create, list,
// info (and changes), invite, remove, promote, accept, leave, send, read, watch.
import { Command, Option } from 'commander';
import { AccountStore } from '../../account/account-store';
import { DisappearingSetting } from '../../account/account-state';
import { formatTimer, parseMode, parseTimer } from '../../conversations/disappearing';
import { GroupActions, InviteOutcome } from '../../groups/group-actions';
import { listGroups, resolveGroup } from '../../groups/group-directory';
import { memberStatus } from '../../groups/group-members';
import { GroupMessageEntry } from '../../groups/group-poll';
import { GroupStore } from '../../groups/group-store';
import { GroupInvitation } from '../../groups/invitations';
import { groupName, openGroup } from '../../groups/open-group';
import { ClientError } from '../../network/errors';
import { Io } from '../output';
import { defaultDownloadDir, formatSaved, SavedAttachment, savedJson, saveAttachments, uploadFiles } from './attachment-steps';
import { CommandContext } from './context';
import { pollLimit, watchLoop } from './watch-loop';
import { formatSetting, formatTime, printable } from './format';

interface JsonOpt {
  json?: boolean;
}

async function actionsFor(ctx: CommandContext): Promise<{ store: AccountStore; groups: GroupStore; actions: GroupActions }> {
  const store = ctx.store();
  store.identity();
  const groups = new GroupStore(store.home);
  return { store, groups, actions: new GroupActions(store, groups, await ctx.connect(store)) };
}

function localOnly(ctx: CommandContext): { store: AccountStore; groups: GroupStore } {
  const store = ctx.store();
  store.identity();
  return { store, groups: new GroupStore(store.home) };
}

export function registerGroupCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const group = program.command('group').description('private groups: create, invite, remove, promote, send, read (Session groups v2)');

  group
    .command('create')
    .description('create a group (you are its admin) and invite members')
    .argument('<name>', 'the group name (at most 100 bytes)')
    .argument('[members...]', 'Session IDs to invite')
    .option('--description <text>', 'a description (at most 2000 bytes)')
    .option('--json', 'print JSON')
    .action(async (name: string, members: string[], opts: JsonOpt & { description?: string }) => {
      const { actions } = await actionsFor(ctx);
      const created = await actions.create(name, members, opts.description);
      if (opts.json) io.out(JSON.stringify({ group_id: created.groupId, invited: created.invited, failed: created.failed }) + '\n');
      else {
        io.out(`Created group "${printable(name)}" ${created.groupId}\n`);
        printInviteOutcome(io, created);
      }
      if (created.failed.length > 0) throw new ClientError(`${created.failed.length} invitation(s) could not be delivered; "starling group invite" sends them again`, 'network');
    });

  group
    .command('list')
    .description('the groups of this account (from its synced group list)')
    .option('--json', 'print JSON')
    .action((opts: JsonOpt) => {
      const { store, groups } = localOnly(ctx);
      const all = listGroups(store, groups);
      if (opts.json) {
        io.out(JSON.stringify({ groups: all.map((g) => ({ group_id: g.groupId, name: g.name, role: g.role, status: g.status, members: g.memberCount ?? null, disappearing_seconds: g.disappearingSeconds ?? null })) }) + '\n');
        return;
      }
      if (all.length === 0) io.out('No groups.\n');
      for (const g of all) {
        const details = [g.role, g.status, g.memberCount ? `${g.memberCount} members` : '', g.disappearingSeconds ? `disappearing ${formatTimer(g.disappearingSeconds)}` : ''].filter(Boolean);
        io.out(`${g.groupId}  ${printable(g.name)}  (${details.join(', ')})\n`);
      }
    });

  group
    .command('info')
    .description('show a group (name, description, disappearing timer, members); admins change it with the options')
    .argument('<group>', 'group id or name')
    .option('--name <name>', 'rename the group')
    .option('--description <text>', 'set the description ("" removes it)')
    .option('--disappear <mode>', 'after-send or off (groups only delete after send)')
    .option('--timer <duration>', 'disappearing timer, e.g. 5m, 1h, 1d')
    .option('--json', 'print JSON')
    .action(async (groupText: string, opts: JsonOpt & { name?: string; description?: string; disappear?: string; timer?: string }) => {
      const changing = opts.name !== undefined || opts.description !== undefined || opts.disappear !== undefined;
      const disappearingSeconds = groupDisappearing(opts.disappear, opts.timer);
      let store: AccountStore;
      let groups: GroupStore;
      if (changing || ctx.seedUrl()) {
        const opened = await actionsFor(ctx);
        ({ store, groups } = opened);
        const groupId = resolveGroup(store, groups, groupText);
        if (changing) await opened.actions.updateInfo(groupId, { name: opts.name, description: opts.description, disappearingSeconds });
        else await opened.actions.poller().poll(groupId).catch((err) => {
          if (!(err instanceof ClientError)) throw err;
          io.err(`starling: could not refresh the group (${err.message}); showing what this device knows\n`);
        });
      } else ({ store, groups } = localOnly(ctx));
      const g = openGroup(store, groups, resolveGroup(store, groups, groupText));
      const { info, members } = g.configs;
      const record = {
        group_id: g.id,
        name: groupName(g),
        description: info.description ?? null,
        picture: info.picture ? info.picture.url : null,
        disappearing: info.expiryTimerSeconds ? { mode: 'after-send', timer_seconds: info.expiryTimerSeconds } : null,
        created: info.createdSeconds ?? null,
        you: g.configs.admin ? 'admin' : 'member',
        members: members.all().map((m) => ({ session_id: m.sessionId, name: m.name || null, status: memberStatus(m) })),
      };
      if (opts.json) {
        io.out(JSON.stringify(record) + '\n');
        return;
      }
      io.out(`${printable(record.name)}  ${g.id}\n`);
      if (record.description) io.out(`  ${printable(record.description)}\n`);
      io.out(`  disappearing messages: ${info.expiryTimerSeconds ? `after-send ${formatTimer(info.expiryTimerSeconds)}` : 'off'}\n`);
      if (record.picture) io.out(`  picture: ${printable(record.picture)}\n`);
      io.out(`  you are: ${record.you}\n  members (${record.members.length}):\n`);
      for (const m of record.members) io.out(`    ${m.session_id}  ${m.name ? printable(m.name) : ''}  [${m.status}]\n`);
    });

  group
    .command('invite')
    .description('invite members (admins); they read from now on, or everything with --with-history')
    .argument('<group>', 'group id or name')
    .argument('<members...>', 'Session IDs')
    .option('--with-history', 'give them the keys of earlier messages too')
    .option('--json', 'print JSON')
    .action(async (groupText: string, members: string[], opts: JsonOpt & { withHistory?: boolean }) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const outcome = await actions.invite(resolveGroup(store, groups, groupText), members, !!opts.withHistory);
      if (opts.json) io.out(JSON.stringify(outcome) + '\n');
      else printInviteOutcome(io, outcome);
      if (outcome.failed.length > 0) throw new ClientError(`${outcome.failed.length} invitation(s) could not be delivered; run the command again`, 'network');
    });

  group
    .command('remove')
    .description('remove members (admins): the key is rotated and their access revoked, so they read nothing sent from now on')
    .argument('<group>', 'group id or name')
    .argument('<members...>', 'Session IDs')
    .option('--json', 'print JSON')
    .action(async (groupText: string, members: string[], opts: JsonOpt) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const outcome = await actions.remove(resolveGroup(store, groups, groupText), members);
      if (opts.json) io.out(JSON.stringify({ removed: outcome.removed, generation: outcome.generation, stored_bytes: outcome.pushed.bytes }) + '\n');
      else io.out(`Removed ${outcome.removed.join(', ')}; keys rotated to generation ${outcome.generation}, their access revoked\n`);
    });

  group
    .command('promote')
    .description('make members admins (admins): each is sent the group key')
    .argument('<group>', 'group id or name')
    .argument('<members...>', 'Session IDs')
    .option('--json', 'print JSON')
    .action(async (groupText: string, members: string[], opts: JsonOpt) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const outcome = await actions.promote(resolveGroup(store, groups, groupText), members);
      if (opts.json) io.out(JSON.stringify(outcome) + '\n');
      else {
        for (const m of outcome.invited) io.out(`Promoted ${m}\n`);
        for (const f of outcome.failed) io.out(`Could not promote ${f.member}: ${f.reason}\n`);
      }
      if (outcome.failed.length > 0) throw new ClientError(`${outcome.failed.length} promotion(s) could not be delivered; run the command again`, 'network');
    });

  group
    .command('accept')
    .description('accept an invitation to a group')
    .argument('<group>', 'group id or name')
    .option('--json', 'print JSON')
    .action(async (groupText: string, opts: JsonOpt) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const result = await actions.accept(resolveGroup(store, groups, groupText));
      if (opts.json) io.out(JSON.stringify({ group_id: result.groupId, messages: result.entries.map(groupEntryJson) }) + '\n');
      else {
        io.out(`Joined group ${result.groupId}\n`);
        printGroupPoll(io, { results: [result], failures: [] });
      }
    });

  group
    .command('leave')
    .description('leave a group (on every device of this account)')
    .argument('<group>', 'group id or name')
    .action(async (groupText: string) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const groupId = resolveGroup(store, groups, groupText);
      await actions.leave(groupId);
      io.out(`Left group ${groupId}\n`);
    });

  group
    .command('send')
    .description('send a text and/or files to a group (one store in the group swarm)')
    .argument('<group>', 'group id or name')
    .argument('[text]', 'the message (optional with --file)')
    .option('--file <path>', 'attach a file (at most 10,000,000 bytes; repeat for several)', (v: string, prev: string[]) => [...prev, v], [])
    .option('--json', 'print JSON')
    .action(async (groupText: string, text: string | undefined, opts: JsonOpt & { file: string[] }) => {
      if (text === undefined && opts.file.length === 0) throw new ClientError('give the message text, or --file <path>', 'input');
      const { store, groups, actions } = await actionsFor(ctx);
      const groupId = resolveGroup(store, groups, groupText);
      const attachments = await uploadFiles(ctx, store, opts.file, !!opts.json);
      const sent = await actions.send(groupId, text ?? '', attachments);
      if (opts.json) io.out(JSON.stringify({ group_id: sent.groupId, hash: sent.hash, sent_at: sent.sentAtMs, ttl_ms: sent.ttlMs, bytes: sent.bytes }) + '\n');
      else io.out(`Sent to group ${sent.groupId} at ${formatTime(sent.sentAtMs)}${sent.ttlMs < 14 * 86_400_000 ? ` (disappears after ${formatTimer(sent.ttlMs / 1000)})` : ''}\n`);
    });

  group
    .command('read')
    .description('poll a group (or every group) once and print new messages')
    .argument('[group]', 'group id or name (default: all groups)')
    .option('--save-dir <dir>', 'where received files go (default <data folder>/downloads)')
    .option('--json', 'print JSON')
    .action(async (groupText: string | undefined, opts: JsonOpt & { saveDir?: string }) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const polled = groupText === undefined ? await actions.pollAll() : { results: [await actions.poller().poll(resolveGroup(store, groups, groupText))], failures: [] };
      const entries = polled.results.flatMap((r) => r.entries);
      const saved = await saveAttachments(ctx, store, entries, opts.saveDir ?? defaultDownloadDir(ctx), !!opts.json);
      if (opts.json) io.out(JSON.stringify(groupPollJson(polled, saved)) + '\n');
      else {
        if (entries.length === 0) io.out('No new group messages.\n');
        printGroupPoll(io, polled, saved);
      }
      if (polled.failures.length > 0) throw new ClientError(`${polled.failures.length} group(s) could not be polled (see above)`, 'network');
    });

  group
    .command('watch')
    .description('poll a group (or every group) every 2 seconds and print messages as they arrive, until Ctrl-C')
    .argument('[group]', 'group id or name (default: all groups)')
    .option('--json', 'print one JSON object per message')
    .addOption(new Option('--polls <n>', 'stop after n polls (for scripts)').hideHelp())
    .action(async (groupText: string | undefined, opts: JsonOpt & { polls?: string }) => {
      const { store, groups, actions } = await actionsFor(ctx);
      const groupId = groupText === undefined ? undefined : resolveGroup(store, groups, groupText);
      const limit = pollLimit(opts.polls);
      await watchGroups(io, () => (groupId ? actions.poller().poll(groupId).then((r) => ({ results: [r], failures: [] })) : actions.pollAll()), limit, !!opts.json);
    });
}

export type GroupPolls = Awaited<ReturnType<GroupActions['pollAll']>>;

async function watchGroups(io: Io, poll: () => Promise<GroupPolls>, limit: number, json: boolean): Promise<void> {
  if (!json) io.out('Watching groups (Ctrl-C to stop)\n');
  await watchLoop(io, limit, json, async () => {
    const polled = await poll();
    if (json) for (const e of polled.results.flatMap((r) => r.entries)) io.out(JSON.stringify(groupEntryJson(e)) + '\n');
    else printGroupPoll(io, polled);
  });
}

/** --disappear/--timer of `group info`: seconds, 0 for off, undefined when not given. */
function groupDisappearing(mode: string | undefined, timer: string | undefined): number | undefined {
  if (mode === undefined) {
    if (timer !== undefined) throw new ClientError('--timer needs --disappear after-send', 'input');
    return undefined;
  }
  const parsed = parseMode(mode);
  if (parsed === 'after-read') throw new ClientError('groups only support after-send disappearing messages', 'input');
  if (parsed === 'off') {
    if (timer !== undefined) throw new ClientError('a timer makes no sense with "off"', 'input');
    return 0;
  }
  if (timer === undefined) throw new ClientError('after-send needs a timer, e.g. 5m, 1h, 1d', 'input');
  return parseTimer(timer);
}

function printInviteOutcome(io: Io, outcome: InviteOutcome): void {
  for (const m of outcome.invited) io.out(`Invited ${m}\n`);
  for (const f of outcome.failed) io.out(`Could not invite ${f.member}: ${f.reason}\n`);
  if (outcome.warning) io.err(`starling: ${outcome.warning}\n`);
}

export function formatGroupEntry(e: GroupMessageEntry): string {
  const who = e.authorName ? `${e.author} (${printable(e.authorName)})` : e.author;
  const head = `${formatTime(e.sentAtMs)}  [${printable(e.groupName)}] ${e.direction === 'out' ? 'you' : who}`;
  if (e.event) return `${head} ${printable(e.event)}\n`;
  const timer = e.disappearing ? ` [disappears ${formatSetting(e.disappearing as DisappearingSetting)}]` : '';
  return `${head}${timer}\n  ${printable(e.text).replace(/\n/g, '\n  ')}\n`;
}

export function groupEntryJson(e: GroupMessageEntry): Record<string, unknown> {
  return {
    group_id: e.groupId,
    group_name: e.groupName,
    hash: e.hash,
    direction: e.direction,
    author: e.author,
    author_name: e.authorName ?? null,
    sent_at: e.sentAtMs,
    text: e.text,
    event: e.event ?? null,
    disappearing: e.disappearing ? { mode: e.disappearing.mode, timer_seconds: e.disappearing.timerSeconds } : null,
    expires_at: e.expiresAtMs ?? null,
  };
}

export function groupPollJson(polled: GroupPolls, saved?: Map<GroupMessageEntry, SavedAttachment[]>): Record<string, unknown> {
  return {
    messages: polled.results.flatMap((r) => r.entries).map((e) => (saved?.has(e) ? { ...groupEntryJson(e), attachments: savedJson(saved.get(e)) } : groupEntryJson(e))),
    groups: polled.results.map((r) => ({ group_id: r.groupId, undecryptable: r.undecryptable, rejected: r.rejected, removed: r.removed, refused: r.refused })),
    failures: polled.failures,
  };
}

export function printGroupPoll(io: Io, polled: GroupPolls, saved?: Map<GroupMessageEntry, SavedAttachment[]>): void {
  for (const r of polled.results) {
    for (const e of r.entries) io.out(formatGroupEntry(e) + formatSaved(saved?.get(e)));
    if (r.removed) io.out(`You were removed from group ${r.groupId}\n`);
    else if (r.refused.length > 0) io.out(`The swarm refused access to group ${r.groupId} (namespaces ${r.refused.join(', ')}): your access was revoked\n`);
    if (r.undecryptable > 0) io.out(`(${r.undecryptable} message(s) in ${r.groupId} cannot be read with the keys you hold)\n`);
    for (const a of r.adminActions) io.out(`(group ${r.groupId}: ${a})\n`);
  }
  for (const f of polled.failures) io.err(`starling: group ${f.groupId}: ${f.error}\n`);
}

export function formatInvitation(inv: GroupInvitation): string {
  const from = inv.fromName ? `${inv.from} (${printable(inv.fromName)})` : inv.from;
  if (inv.kind === 'promote') return `You were made admin of group "${printable(inv.name)}" ${inv.groupId} by ${from}\n`;
  return inv.pending
    ? `Invitation to group "${printable(inv.name)}" ${inv.groupId} from ${from}: starling group accept ${inv.groupId}\n`
    : `Joined group "${printable(inv.name)}" ${inv.groupId} (invited by ${from})\n`;
}
