#!/usr/bin/env node
// `starling-sogs`: the operator's command line, another entrypoint of the server code. It works
// on the same database as the server (DATABASE_URL, or the PGlite folder in OPEN_GROUPS_DATA_DIR,
// which only one process may hold open: stop an embedded server first).
import { ready } from '@starling/crypto';
import { migrate, openDatabase, type Database } from '@starling/platform';
import { Command, Option } from 'commander';
import { readFileSync } from 'fs';
import { basename, join } from 'path';
import { loadOpenGroupsConfig } from '../config';
import { joinUrl, serverKeyPair } from '../keys/server-key';
import { MIGRATIONS_DIR } from '../settings';
import { AdminOperations, parsePermissionLetters } from './operations';

export interface CliIo {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  /** Already-open database (tests); otherwise opened from the environment. */
  db?: Database;
}

const SESSION_ID = /^(05|15|25)[0-9a-f]{64}$/;

function sessionIds(values: string[]): string[] {
  for (const v of values) if (!SESSION_ID.test(v)) throw new Error(`not a session id: ${v} (66 hex, prefix 05, 15 or 25)`);
  return values;
}

/** `--rooms a b` or `--global`, exactly one. */
function scope(opts: { rooms?: string[]; global?: boolean }): string[] | null {
  if (!!opts.rooms === !!opts.global) throw new Error('give exactly one of --rooms TOKEN... (or "*") and --global');
  return opts.global ? null : opts.rooms!;
}

export async function runCli(argv: string[], io: CliIo = {}): Promise<void> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => process.stdout.write(line + '\n'));
  const config = loadOpenGroupsConfig(env);

  let ops: AdminOperations | undefined;
  let ownDb: Database | undefined;
  const admin = async (): Promise<AdminOperations> => {
    if (ops) return ops;
    await ready();
    const db =
      io.db ??
      (ownDb = await openDatabase({
        url: config.databaseUrl,
        schema: config.databaseSchema,
        dataDir: config.databaseUrl || !config.dataDir ? undefined : join(config.dataDir, 'db'),
      }));
    await migrate(db, MIGRATIONS_DIR);
    const keys = serverKeyPair({ secretHex: config.serverKeyHex, dataDir: config.dataDir });
    ops = new AdminOperations(db, keys.publicKey, config.requireBlinding);
    return ops;
  };
  const baseUrl = config.baseUrl ?? `http://${config.host}:${config.port}`;

  const program = new Command('starling-sogs')
    .description('Administer a Starling community server (rooms, moderators, permissions, bans)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => out(s.trimEnd()) });

  const rooms = program.command('rooms').description('Create, list, change and delete rooms');
  rooms
    .command('add <token>')
    .description('Create a room')
    .option('--name <name>', 'display name (default: the token)')
    .option('--description <text>', 'description (\\n for new lines)')
    .action(async (token: string, o: { name?: string; description?: string }) => {
      const a = await admin();
      const room = await a.addRoom(token, o.name, o.description?.replace(/\\n/g, '\n'));
      const keys = serverKeyPair({ secretHex: config.serverKeyHex, dataDir: config.dataDir });
      out(`created room ${room.token}: ${joinUrl(baseUrl, room.token, keys.publicKey)}`);
    });
  rooms
    .command('list')
    .description('List rooms with counts and moderators')
    .option('-v, --verbose', 'show moderator and admin ids')
    .action(async (o: { verbose?: boolean }) => {
      const a = await admin();
      const keys = serverKeyPair({ secretHex: config.serverKeyHex, dataDir: config.dataDir });
      for (const room of await a.rooms.all(a.db)) {
        const counts = await a.contentCounts(room);
        const mods = await a.rooms.moderators(a.db, room.id);
        const d = room.defaults;
        out(`${room.token}  "${room.name}"  ${joinUrl(baseUrl, room.token, keys.publicKey)}`);
        if (room.description) out(`  description: ${room.description}`);
        out(`  messages: ${counts.messages}, files: ${counts.files}, active users: ${room.activeUsers}`);
        out(`  default permissions: ${['read', 'write', 'upload', 'accessible'].map((p) => `${d[p as keyof typeof d] ? '+' : '-'}${p}`).join(' ')}`);
        out(`  moderators: ${mods.mods.length + mods.hiddenMods.length}, admins: ${mods.admins.length + mods.hiddenAdmins.length}`);
        if (o.verbose) {
          for (const id of mods.admins) out(`    admin ${id}`);
          for (const id of mods.hiddenAdmins) out(`    admin ${id} (hidden)`);
          for (const id of mods.mods) out(`    moderator ${id}`);
          for (const id of mods.hiddenMods) out(`    moderator ${id} (hidden)`);
        }
      }
    });
  rooms
    .command('delete <token>')
    .description('Delete a room with its messages (its files expire)')
    .option('--yes', 'do not ask (required: this cannot be undone)')
    .action(async (token: string, o: { yes?: boolean }) => {
      if (!o.yes) throw new Error('deleting a room cannot be undone; add --yes');
      await (await admin()).deleteRoom(token);
      out(`deleted room ${token}`);
    });
  rooms
    .command('rename <token> <name>')
    .description("Change a room's display name")
    .action(async (token: string, name: string) => {
      await (await admin()).updateRoom(token, { name });
      out(`renamed room ${token} to "${name}"`);
    });
  rooms
    .command('describe <token> <description>')
    .description("Change a room's description (empty string removes it)")
    .action(async (token: string, description: string) => {
      await (await admin()).updateRoom(token, { description: description === '' ? null : description.replace(/\\n/g, '\n') });
      out(`updated description of ${token}`);
    });
  rooms
    .command('set-image <token> <file>')
    .description("Set a room's image from a file (kept until replaced)")
    .action(async (token: string, file: string) => {
      const data = readFileSync(file);
      await (await admin()).updateRoom(token, { imageFile: { data, filename: basename(file) } });
      out(`set image of ${token} (${data.length} bytes)`);
    });

  const mods = program.command('moderators').description('Appoint and remove moderators and admins');
  mods
    .command('add <sessionIds...>')
    .description('Make users moderators (or admins) of rooms or of the whole server')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide (hidden unless --visible)')
    .option('--admin', 'admin instead of moderator')
    .addOption(new Option('--visible', 'list publicly').conflicts('hidden'))
    .option('--hidden', 'do not list publicly')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean; admin?: boolean; visible?: boolean; hidden?: boolean }) => {
      const target = scope(o);
      const a = await admin();
      const visible = o.visible ? true : o.hidden ? false : undefined;
      for (const id of sessionIds(ids)) await a.addModerator(id, target, { admin: o.admin, visible });
      out(`added ${ids.length} ${o.admin ? 'admin' : 'moderator'}(s) ${target ? `to ${target.join(', ')}` : 'globally'}`);
    });
  mods
    .command('remove <sessionIds...>')
    .description('Remove moderator and admin roles')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide roles')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean }) => {
      const target = scope(o);
      const a = await admin();
      for (const id of sessionIds(ids)) await a.removeModerator(id, target);
      out(`removed ${ids.length} moderator(s)`);
    });
  mods
    .command('list')
    .description('List global moderators and admins')
    .action(async () => {
      const a = await admin();
      const moderators = await a.globalModerators();
      if (!moderators.length) out('no global moderators');
      for (const m of moderators) out(`${m.admin ? 'admin' : 'moderator'} ${m.sessionId}${m.visible ? '' : ' (hidden)'}`);
    });

  const perms = program.command('permissions').description('Room default permissions and per-user overrides (letters r=read w=write u=upload a=accessible)');
  for (const [name, value, what] of [
    ['add', true, 'Grant'],
    ['remove', false, 'Revoke'],
    ['clear', null, 'Reset to the room default (with --users only)'],
  ] as const) {
    perms
      .command(`${name} <letters>`)
      .description(`${what} permissions for room defaults, or for --users`)
      .requiredOption('--rooms <tokens...>', 'room tokens, or "*" for every room')
      .option('--users <sessionIds...>', 'apply to these users instead of the room defaults')
      .action(async (letters: string, o: { rooms: string[]; users?: string[] }) => {
        const flags = parsePermissionLetters(letters);
        if (value === null && !o.users) throw new Error('clear needs --users');
        await (await admin()).setPermissions(o.rooms, flags, value, sessionIds(o.users ?? []));
        out(`${name} ${flags.join(', ')} in ${o.rooms.join(', ')}${o.users ? ` for ${o.users.length} user(s)` : ' (room defaults)'}`);
      });
  }

  const bans = program.command('bans').description('Ban and unban users');
  bans
    .command('add <sessionIds...>')
    .description('Ban users from rooms or from the whole server')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide ban')
    .option('--timeout <seconds>', 'lift the ban after this many seconds', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error('--timeout must be a positive number of seconds');
      return n;
    })
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean; timeout?: number }) => {
      const target = scope(o);
      const a = await admin();
      for (const id of sessionIds(ids)) await a.ban(id, target, o.timeout);
      out(`banned ${ids.length} user(s)`);
    });
  bans
    .command('remove <sessionIds...>')
    .description('Lift bans')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide ban')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean }) => {
      const target = scope(o);
      const a = await admin();
      for (const id of sessionIds(ids)) await a.unban(id, target);
      out(`unbanned ${ids.length} user(s)`);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    await ownDb?.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).catch((err: unknown) => {
    // commander already printed help/version/usage errors; exit with its code.
    const code = (err as { exitCode?: number }).exitCode;
    if (code === undefined) process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(code ?? 1);
  });
}
