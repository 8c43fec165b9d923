#!/usr/bin/env node
// `starling-sogs`: the operator's command line, another entrypoint of the server code. It reads
// the server's settings (OPEN_GROUPS_*, DATABASE_URL) and works on the server's data:
//   - through the running server's admin socket when one answers in the data folder (the
//     embedded database admits one process; the server then does the work);
//   - otherwise on the database itself (PostgreSQL, or the PGlite folder of a stopped server).
// It never changes the schema as a side effect: `upgrade` does that, and every other command
// stops on a database that needs it. Results go to standard output (JSON with --json); every
// error goes to standard error with a non-zero exit code (see EXIT).
import { ready } from '@starling/crypto';
import { ConfigError, openDatabase, type Database } from '@starling/platform';
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'fs';
import { basename, join } from 'path';
import { loadOpenGroupsConfig, type OpenGroupsConfig } from '../config';
import { DomainError } from '../domain/errors';
import { serverKeyPair } from '../keys/server-key';
import { MIGRATIONS_DIR } from '../settings';
import type { AdminApi, BanEntry, ModeratorEntry, RoomDetails, RoomSummary, Scope } from './admin-api';
import { adminSocketAnswers, adminSocketClient, adminSocketPath } from './admin-socket';
import { AdminOperations, checkSessionId, parsePermissionLetters } from './operations';

/** Exit codes: scripts can tell a refusal from a mistyped command from a database to upgrade. */
export const EXIT = {
  ok: 0,
  /** The operation failed or was refused (no such room, bad session id...). */
  failed: 1,
  /** The command line itself is wrong (unknown command or option, missing argument, bad setting). */
  usage: 2,
  /** The database schema is older than this release: run `starling-sogs upgrade`. */
  upgradeNeeded: 3,
} as const;

export interface CliIo {
  env?: Record<string, string | undefined>;
  /** Standard output and error (each call is a whole text, newline included). */
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** An open database to work on (tests); otherwise the socket or the configured database. */
  db?: Database;
}

/** What a command prints: lines for people, a value for --json. */
interface Output {
  text: string[];
  json: unknown;
}

class UsageError extends Error {}

class UpgradeNeeded extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database schema is older than this starling-sogs (${pending.length} migration${pending.length === 1 ? '' : 's'} pending: ${pending.join(', ')}): ` +
        'run `starling-sogs upgrade` (or start the server, which upgrades at start)',
    );
  }
}

const VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

/** `--rooms a b` or `--global`, exactly one. */
function scope(opts: { rooms?: string[]; global?: boolean }): Scope {
  if (!!opts.rooms === !!opts.global) throw new UsageError('give exactly one of --rooms TOKEN... (or "*" for every room) and --global');
  return opts.global ? null : opts.rooms!;
}

/** For listings: --rooms, --global, or (neither) everything. */
function listScope(opts: { rooms?: string[]; global?: boolean }): Scope | 'all' {
  if (opts.rooms && opts.global) throw new UsageError('give at most one of --rooms and --global');
  return opts.rooms ?? (opts.global ? null : 'all');
}

const where = (room: string | null) => (room === null ? 'global' : `in ${room}`);
const scopeText = (target: Scope) => (target === null ? 'globally' : `in ${target.join(', ')}`);

function roomLines(room: RoomSummary, verbose: boolean): string[] {
  const d = room.defaults;
  const lines = [
    `${room.token}  "${room.name}"  ${room.joinUrl}`,
    ...(room.description ? [`  description: ${room.description}`] : []),
    `  messages: ${room.messages}, files: ${room.files}, active users: ${room.activeUsers}`,
    `  default permissions: ${(['read', 'write', 'upload', 'accessible'] as const).map((p) => `${d[p] ? '+' : '-'}${p}`).join(' ')}`,
    `  moderators: ${room.moderators.length + room.hiddenModerators.length}, admins: ${room.admins.length + room.hiddenAdmins.length}`,
  ];
  if (verbose) {
    for (const id of room.admins) lines.push(`    admin ${id}`);
    for (const id of room.hiddenAdmins) lines.push(`    admin ${id} (hidden)`);
    for (const id of room.moderators) lines.push(`    moderator ${id}`);
    for (const id of room.hiddenModerators) lines.push(`    moderator ${id} (hidden)`);
  }
  return lines;
}

function detailLines(room: RoomDetails): string[] {
  return [
    ...roomLines(room, true),
    `  created: ${new Date(room.created * 1000).toISOString()}`,
    `  image: ${room.image ? `file ${room.image.id}, ${room.image.size} bytes${room.image.filename ? ` (${room.image.filename})` : ''}` : 'none'}`,
    `  pinned messages: ${room.pinnedMessages}, bans: ${room.bans}`,
    `  info_updates: ${room.infoUpdates}, message_sequence: ${room.messageSequence}`,
  ];
}

const moderatorLine = (m: ModeratorEntry) => `${m.role} ${m.sessionId} ${where(m.room)}${m.visible ? '' : ' (hidden)'}`;
const banLine = (b: BanEntry) => `${b.sessionId} ${where(b.room)}${b.until === null ? '' : ` until ${new Date(b.until * 1000).toISOString()}`}`;

/** The program's commands; each action leaves its output with `done`. */
function buildProgram(api: (command: string) => Promise<AdminApi>, done: (output: Output) => void, io: Required<Pick<CliIo, 'stdout' | 'stderr'>>): Command {
  const program = new Command('starling-sogs')
    .description('Administer a Starling community server: rooms, moderators, permissions, bans, the database schema')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--json', 'print results (and errors, on standard error) as JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined });
  program.addHelpText(
    'after',
    `
Works on the server's data as the server is configured (OPEN_GROUPS_DATA_DIR, DATABASE_URL...):
through the running server when it answers on <data folder>/admin/sogs.sock, else on the database.
Exit codes: 0 done, 1 failed or refused, 2 wrong command line or settings, 3 database needs \`upgrade\`.`,
  );

  program
    .command('upgrade')
    .description('Bring the database schema up to date (the server also does this when it starts)')
    .option('--check', 'only tell whether an upgrade is needed (exit code 3 when it is)')
    .action(async (o: { check?: boolean }) => {
      const admin = await api('upgrade');
      if (o.check) {
        const { pending } = await admin.schema();
        if (pending.length) throw new UpgradeNeeded(pending);
        return done({ text: ['the database schema is up to date'], json: { pending: [] } });
      }
      const applied = await admin.upgrade();
      done({ text: [applied.length ? `applied ${applied.join(', ')}` : 'the database schema was already up to date'], json: { applied } });
    });

  const rooms = program.command('rooms').description('Create, list, show, change and delete rooms');
  rooms
    .command('add <token>')
    .description('Create a room (token: 1 to 64 characters from A-Z, a-z, 0-9, _ and -)')
    .option('--name <name>', 'display name (default: the token)')
    .option('--description <text>', 'description (\\n for new lines)')
    .action(async (token: string, o: { name?: string; description?: string }) => {
      const room = await (await api('rooms add')).addRoom(token, o.name ?? null, o.description?.replace(/\\n/g, '\n') ?? null);
      done({ text: [`created room ${room.token}: ${room.joinUrl}`], json: room });
    });
  rooms
    .command('list')
    .description('List rooms with counts and moderators')
    .option('-v, --verbose', 'show moderator and admin ids')
    .action(async (o: { verbose?: boolean }) => {
      const all = await (await api('rooms list')).listRooms();
      done({ text: all.length ? all.flatMap((r) => roomLines(r, !!o.verbose)) : ['no rooms'], json: all });
    });
  rooms
    .command('show <token>')
    .description("Show one room's details: counts, image, moderators and admins (visible and hidden)")
    .action(async (token: string) => {
      const room = await (await api('rooms show')).showRoom(token);
      done({ text: detailLines(room), json: room });
    });
  rooms
    .command('delete <token>')
    .description('Delete a room with its messages (its files expire)')
    .option('--yes', 'required: this cannot be undone')
    .action(async (token: string, o: { yes?: boolean }) => {
      if (!o.yes) throw new UsageError('deleting a room cannot be undone; add --yes');
      await (await api('rooms delete')).deleteRoom(token);
      done({ text: [`deleted room ${token}`], json: { deleted: token } });
    });
  rooms
    .command('rename <token> <name>')
    .description("Change a room's display name")
    .action(async (token: string, name: string) => {
      const infoUpdates = await (await api('rooms rename')).updateRoom(token, { name });
      done({ text: [`renamed room ${token} to "${name}"`], json: { token, name, infoUpdates } });
    });
  rooms
    .command('describe <token> <description>')
    .description("Change a room's description (an empty one removes it)")
    .action(async (token: string, text: string) => {
      const description = text === '' ? null : text.replace(/\\n/g, '\n');
      const infoUpdates = await (await api('rooms describe')).updateRoom(token, { description });
      done({ text: [`updated the description of ${token}`], json: { token, description, infoUpdates } });
    });
  rooms
    .command('set-image <token> <file>')
    .description("Set a room's image from a file (kept until replaced)")
    .action(async (token: string, file: string) => {
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const infoUpdates = await (await api('rooms set-image')).updateRoom(token, { image: { base64: data.toString('base64'), filename: basename(file) } });
      done({ text: [`set the image of ${token} (${data.length} bytes)`], json: { token, bytes: data.length, infoUpdates } });
    });

  const mods = program.command('moderators').description('Appoint, remove and list moderators and admins');
  mods
    .command('add <sessionIds...>')
    .description('Make users moderators (or admins) of rooms or of the whole server; 05 ids map to blinded ids')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide (hidden unless --visible)')
    .option('--admin', 'admin instead of moderator')
    .addOption(new Option('--visible', 'list publicly').conflicts('hidden'))
    .option('--hidden', 'do not list publicly')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean; admin?: boolean; visible?: boolean; hidden?: boolean }) => {
      const target = scope(o);
      const users = ids.map(checkSessionId); // all checked before any is changed
      const admin = await api('moderators add');
      const visible = o.visible ? true : o.hidden ? false : null;
      for (const id of users) await admin.addModerator(id, target, { admin: !!o.admin, visible });
      const role = o.admin ? 'admin' : 'moderator';
      done({ text: [`made ${users.length} user(s) ${role} ${scopeText(target)}`], json: { added: users, role, rooms: target } });
    });
  mods
    .command('remove <sessionIds...>')
    .description('Remove moderator and admin roles')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide roles')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean }) => {
      const target = scope(o);
      const users = ids.map(checkSessionId);
      const admin = await api('moderators remove');
      for (const id of users) await admin.removeModerator(id, target);
      done({ text: [`removed the roles of ${users.length} user(s) ${scopeText(target)}`], json: { removed: users, rooms: target } });
    });
  mods
    .command('list')
    .description('List moderators and admins, visible and hidden: global ones and each room’s own (all unless narrowed)')
    .option('--rooms <tokens...>', 'only these rooms’ own roles ("*": every room)')
    .option('--global', 'only global roles')
    .action(async (o: { rooms?: string[]; global?: boolean }) => {
      const entries = await (await api('moderators list')).listModerators(listScope(o));
      done({ text: entries.length ? entries.map(moderatorLine) : ['no moderators'], json: entries });
    });

  const perms = program
    .command('permissions')
    .description('Room default permissions and per-user overrides (letters r=read w=write u=upload a=accessible)');
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
        if (value === null && !o.users) throw new UsageError('clear needs --users');
        const users = (o.users ?? []).map(checkSessionId);
        await (await api(`permissions ${name}`)).setPermissions(o.rooms, flags, value, users);
        done({
          text: [`${name} ${flags.join(', ')} in ${o.rooms.join(', ')}${users.length ? ` for ${users.length} user(s)` : ' (room defaults)'}`],
          json: { rooms: o.rooms, permissions: flags, value, users },
        });
      });
  }

  const bans = program.command('bans').description('Ban, unban and list banned users');
  bans
    .command('add <sessionIds...>')
    .description('Ban users from rooms or from the whole server')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide ban')
    .option('--timeout <seconds>', 'lift the ban after this many seconds', (v) => {
      const n = Number(v);
      if (!(n > 0)) throw new UsageError('--timeout must be a positive number of seconds');
      return n;
    })
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean; timeout?: number }) => {
      const target = scope(o);
      const users = ids.map(checkSessionId);
      const admin = await api('bans add');
      for (const id of users) await admin.ban(id, target, o.timeout ?? null);
      done({ text: [`banned ${users.length} user(s) ${scopeText(target)}`], json: { banned: users, rooms: target, timeout: o.timeout ?? null } });
    });
  bans
    .command('remove <sessionIds...>')
    .description('Lift bans')
    .option('--rooms <tokens...>', 'room tokens, or "*" for every room')
    .option('--global', 'server-wide ban')
    .action(async (ids: string[], o: { rooms?: string[]; global?: boolean }) => {
      const target = scope(o);
      const users = ids.map(checkSessionId);
      const admin = await api('bans remove');
      for (const id of users) await admin.unban(id, target);
      done({ text: [`unbanned ${users.length} user(s) ${scopeText(target)}`], json: { unbanned: users, rooms: target } });
    });
  bans
    .command('list')
    .description('List bans: global ones and each room’s (all unless narrowed), with when timed ones end')
    .option('--rooms <tokens...>', 'only these rooms’ bans ("*": every room)')
    .option('--global', 'only global bans')
    .action(async (o: { rooms?: string[]; global?: boolean }) => {
      const entries = await (await api('bans list')).listBans(listScope(o));
      done({ text: entries.length ? entries.map(banLine) : ['no bans'], json: entries });
    });

  return program;
}

/** Error kinds under --json, and the exit code of each. */
function classify(err: unknown): { kind: string; code: number; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UpgradeNeeded) return { kind: 'upgrade_needed', code: EXIT.upgradeNeeded, message };
  if (err instanceof UsageError) return { kind: 'usage', code: EXIT.usage, message };
  if (err instanceof ConfigError) return { kind: 'config', code: EXIT.usage, message };
  if (err instanceof CommanderError) return { kind: 'usage', code: EXIT.usage, message: message.replace(/^error: /, '') };
  if (err instanceof DomainError) return { kind: err.name.replace(/[a-z](?=[A-Z])/g, '$&_').toLowerCase(), code: EXIT.failed, message };
  return { kind: 'failed', code: EXIT.failed, message };
}

/** Runs one command line; returns its exit code. */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  const json = argv.includes('--json');
  let output: Output | undefined;
  let ownDb: Database | undefined;

  /** The way to the server's data, checked to be on the schema this release expects. */
  const api = async (command: string): Promise<AdminApi> => {
    const config = loadOpenGroupsConfig(env);
    const admin = await connect(config, io.db, (db) => (ownDb = db));
    if (command !== 'upgrade') {
      const { pending } = await admin.schema();
      if (pending.length) throw new UpgradeNeeded(pending);
    }
    return admin;
  };

  const program = buildProgram(api, (o) => (output = o), { stdout, stderr });
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (output) stdout(json ? `${JSON.stringify(output.json, null, 2)}\n` : output.text.map((l) => `${l}\n`).join(''));
    return EXIT.ok;
  } catch (err) {
    // Help and version were printed by commander; they are not errors.
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')) return EXIT.ok;
    const { kind, code, message } = classify(err);
    stderr(json ? `${JSON.stringify({ error: { kind, message } })}\n` : `starling-sogs: ${message}\n`);
    if (err instanceof CommanderError && !json) stderr('(see starling-sogs --help)\n');
    return code;
  } finally {
    await ownDb?.close();
  }
}

/** The running server's socket when one answers, else the configured database opened here. */
async function connect(config: OpenGroupsConfig, given: Database | undefined, opened: (db: Database) => void): Promise<AdminApi> {
  if (!given && config.dataDir) {
    const path = adminSocketPath(config.dataDir);
    if (await adminSocketAnswers(path)) return adminSocketClient(path);
  }
  if (!given && !config.databaseUrl && !config.dataDir) {
    throw new UsageError('no database to work on: set OPEN_GROUPS_DATA_DIR (the server’s data folder) or DATABASE_URL, as the server has them');
  }
  await ready();
  const db =
    given ??
    (await openDatabase({
      url: config.databaseUrl,
      schema: config.databaseSchema,
      dataDir: config.databaseUrl ? undefined : join(config.dataDir!, 'db'),
    }));
  if (!given) opened(db);
  const keys = serverKeyPair({ secretHex: config.serverKeyHex, dataDir: config.dataDir });
  return new AdminOperations({
    db,
    serverPk: keys.publicKey,
    requireBlinding: config.requireBlinding,
    baseUrl: config.baseUrl ?? `http://${config.host}:${config.port}`,
    migrationsDir: MIGRATIONS_DIR,
  });
}

/** The process: `starling-sogs ...` (bin/starling-sogs.js) or `node dist/admin/cli.js ...`. */
export function main(argv: string[] = process.argv.slice(2)): void {
  runCli(argv).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`starling-sogs: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}

if (require.main === module) main();
