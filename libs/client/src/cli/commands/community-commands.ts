// `starling community ...`: join a room by its URL, read, post, react, delete, and the moderator
// commands, each a signed request to the community server through an onion path.
import { readFileSync, statSync } from 'fs';
import { basename } from 'path';
import { Command } from 'commander';
import { fromHex, IdPrefix, parsePrefixedId } from '@starling/crypto';
import { AccountStore } from '../../account/account-store';
import { CommunityClient, MessageRow, networkClock, SINCE_LIMIT } from '../../communities/community-client';
import { decodePost, encodePost, verifyPost } from '../../communities/community-message';
import { CommunityStore, JoinedRoom } from '../../communities/community-store';
import { profileName } from '../../sync/config-changes';
import { joinUrlOf, parseJoinUrl } from '../../communities/join-url';
import { downloadRoomFile, uploadRoomFile } from '../../communities/room-files';
import { checkAttachmentSize } from '../../attachments/attachment-upload';
import { contentTypeOf } from '../../attachments/content-type';
import { ClientError } from '../../network/errors';
import { cannotRead } from './attachment-steps';
import { CommandContext } from './context';
import { formatTime, printable } from './format';

interface JsonOpt {
  json?: boolean;
}

/** One joined room and a client for its server, signed as this account. */
interface RoomAccess {
  store: AccountStore;
  rooms: CommunityStore;
  room: JoinedRoom;
  client: CommunityClient;
}

async function clientFor(ctx: CommandContext, store: AccountStore, server: JoinedRoom['server']): Promise<CommunityClient> {
  const identity = store.identity();
  const swarm = await ctx.connect(store);
  const requests = await ctx.servers(store);
  return new CommunityClient(requests, server, identity.seed, networkClock(swarm, identity.sessionId));
}

async function openRoom(ctx: CommandContext, roomOrUrl: string): Promise<RoomAccess> {
  const store = ctx.store();
  store.identity();
  const rooms = new CommunityStore(store.home);
  const room = rooms.find(roomOrUrl);
  return { store, rooms, room, client: await clientFor(ctx, store, room.server) };
}

export function registerCommunityCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const community = program.command('community').description('community rooms (open groups): join, read, post, react, moderate');

  community
    .command('join')
    .description('join a room by its URL (http://host:port/<room>?public_key=<hex>)')
    .argument('<url>', 'the join URL')
    .option('--json', 'print JSON')
    .action(async (url: string, opts: JsonOpt) => {
      const wanted = parseJoinUrl(url);
      const store = ctx.store();
      store.identity();
      const client = await clientFor(ctx, store, wanted.server);
      const info = await client.roomInfo(wanted.room);
      const saved = new CommunityStore(store.home).save(
        { server: wanted.server, room: wanted.room, name: info.name, ...(info.description ? { description: info.description } : {}) },
        Date.now(),
      );
      const record = {
        room: saved.room,
        url: joinUrlOf(saved.server, saved.room),
        name: info.name,
        description: info.description ?? null,
        active_users: info.active_users,
        blinded_id: client.blindedId,
        read: info.read,
        write: info.write,
      };
      if (opts.json) io.out(JSON.stringify(record) + '\n');
      else {
        io.out(`Joined ${printable(info.name)} (${saved.room})\n`);
        if (info.description) io.out(`  ${printable(info.description)}\n`);
        io.out(`  active users: ${info.active_users}\n  your id here: ${client.blindedId}\n`);
        if (!info.write) io.out('  (read only: you may not post here)\n');
      }
    });

  community
    .command('list')
    .description('the rooms this device has joined')
    .option('--json', 'print JSON')
    .action((opts: JsonOpt) => {
      const store = ctx.store();
      store.identity();
      const rooms = new CommunityStore(store.home).list();
      if (opts.json) {
        io.out(JSON.stringify(rooms.map((r) => ({ room: r.room, name: r.name, url: joinUrlOf(r.server, r.room), last_seqno: r.lastSeqno }))) + '\n');
        return;
      }
      if (rooms.length === 0) io.out('No communities joined yet.\n');
      for (const r of rooms) io.out(`${r.room}  ${printable(r.name)}  ${joinUrlOf(r.server, r.room)}\n`);
    });

  community
    .command('read')
    .description('show what is new in a room (posts, deletions, reactions)')
    .argument('<room>', 'room token or join URL')
    .option('--since <seqno>', 'start after this seqno instead of where the last read stopped')
    .option('--all', 'start from the beginning of the room')
    .option('--save-dir <dir>', 'download the files of the posts shown into this folder')
    .option('--json', 'print JSON')
    .action(async (roomOrUrl: string, opts: JsonOpt & { since?: string; all?: boolean; saveDir?: string }) => {
      if (opts.all && opts.since !== undefined) throw new ClientError('give either --since or --all, not both', 'input');
      const { rooms, room, client } = await openRoom(ctx, roomOrUrl);
      let seqno = opts.all ? 0 : opts.since !== undefined ? nonNegative(opts.since, '--since') : room.lastSeqno;
      const rows: MessageRow[] = [];
      // Fetch until a page comes back short: the server caps each page.
      for (;;) {
        const page = await client.messagesSince(room.room, seqno);
        rows.push(...page);
        if (page.length === 0) break;
        seqno = Math.max(seqno, ...page.map((r) => r.seqno));
        if (page.length < SINCE_LIMIT) break;
      }
      const shown = rows.map(describeRow);
      if (opts.saveDir) await saveFiles(ctx, client, room, rows, shown, opts.saveDir);
      rooms.setLastSeqno(room, seqno);
      if (opts.json) {
        io.out(JSON.stringify({ room: room.room, seqno, messages: shown }) + '\n');
        return;
      }
      if (shown.length === 0) io.out(`Nothing new in ${room.room}.\n`);
      for (const m of shown) io.out(formatRow(m));
    });

  community
    .command('post')
    .description('post a text message to a room')
    .argument('<room>', 'room token or join URL')
    .argument('[text]', 'the message (optional with --file)')
    .option('--file <path>', 'attach a file (at most 10,000,000 bytes; repeat for several)', collect, [])
    .option('--json', 'print JSON')
    .action(async (roomOrUrl: string, text: string | undefined, opts: JsonOpt & { file: string[] }) => {
      if (!text && opts.file.length === 0) throw new ClientError('the message is empty: give text, or --file <path>', 'input');
      // Every file is checked before anything is sent.
      for (const path of opts.file) checkAttachmentSize(fileSize(path));
      const { store, room, client } = await openRoom(ctx, roomOrUrl);
      const identity = store.identity();
      const uploads = [];
      for (const path of opts.file) {
        const fileName = basename(path);
        uploads.push(await uploadRoomFile(client, room.server, room.room, readFileSync(path), { fileName, contentType: contentTypeOf(fileName) }));
      }
      const displayName = profileName(store.readState());
      const content = { text: text ?? '', displayName, attachments: uploads.map((u) => u.pointer) };
      const post = encodePost(identity.seed, fromHex(room.server.x25519, 32), content, Date.now());
      const posted = await client.post(room.room, post.data, post.signature, uploads.map((u) => u.id));
      if (opts.json) io.out(JSON.stringify({ room: room.room, id: posted.id, seqno: posted.seqno, posted: posted.posted, files: uploads.map((u) => u.id) }) + '\n');
      else io.out(`Posted to ${room.room} as message ${posted.id}${uploads.length ? ` with ${uploads.length} file(s)` : ''}\n`);
    });

  community
    .command('react')
    .description('react to a message with an emoji (or take the reaction back with --remove)')
    .argument('<room>', 'room token or join URL')
    .argument('<message-id>', 'the message id (from "community read")')
    .argument('<emoji>', 'the reaction, 1-12 characters')
    .option('--remove', 'take your reaction back')
    .option('--json', 'print JSON')
    .action(async (roomOrUrl: string, idText: string, emoji: string, opts: JsonOpt & { remove?: boolean }) => {
      const id = messageId(idText);
      const length = [...emoji].length;
      if (length < 1 || length > 12) throw new ClientError('a reaction is 1 to 12 characters', 'input');
      const { room, client } = await openRoom(ctx, roomOrUrl);
      const changed = await client.react(room.room, id, emoji, opts.remove === true);
      if (opts.json) io.out(JSON.stringify({ room: room.room, id, reaction: emoji, [opts.remove ? 'removed' : 'added']: changed }) + '\n');
      else io.out(`${opts.remove ? (changed ? 'Removed' : 'You had not reacted with') : changed ? 'Reacted' : 'Already reacted'} ${emoji} on message ${id}\n`);
    });

  community
    .command('delete')
    .description('delete a message (your own; moderators may delete anyone’s)')
    .argument('<room>', 'room token or join URL')
    .argument('<message-id>', 'the message id')
    .option('--json', 'print JSON')
    .action(async (roomOrUrl: string, idText: string, opts: JsonOpt) => {
      const id = messageId(idText);
      const { room, client } = await openRoom(ctx, roomOrUrl);
      await client.deleteMessage(room.room, id);
      if (opts.json) io.out(JSON.stringify({ room: room.room, id, deleted: true }) + '\n');
      else io.out(`Deleted message ${id} from ${room.room}\n`);
    });

  for (const ban of [true, false]) {
    const cmd = community
      .command(ban ? 'ban' : 'unban')
      .description(ban ? 'ban someone from the room (moderators)' : 'lift a ban (moderators)')
      .argument('<room>', 'room token or join URL')
      .argument('<user-id>', 'their blinded id here (15...) or Session ID (05...)')
      .option('--global', 'every room of the server (global moderators)')
      .option('--json', 'print JSON');
    if (ban) cmd.option('--timeout <duration>', 'lift the ban by itself after this long, e.g. 30m, 1h, 2d');
    cmd.action(async (roomOrUrl: string, user: string, opts: JsonOpt & { global?: boolean; timeout?: string }) => {
      const target = userId(user);
      const timeoutSeconds = opts.timeout === undefined ? undefined : durationSeconds(opts.timeout);
      const { room, client } = await openRoom(ctx, roomOrUrl);
      if (ban) await client.ban(room.room, target, { global: opts.global, timeoutSeconds });
      else await client.unban(room.room, target, opts.global === true);
      const scope = opts.global ? 'the whole server' : room.room;
      if (opts.json) io.out(JSON.stringify({ room: room.room, user: target, banned: ban, global: opts.global === true, timeout: timeoutSeconds ?? null }) + '\n');
      else io.out(`${ban ? 'Banned' : 'Unbanned'} ${target} ${ban ? 'from' : 'in'} ${scope}${timeoutSeconds ? ` for ${opts.timeout}` : ''}\n`);
    });
  }

  for (const pin of [true, false]) {
    community
      .command(pin ? 'pin' : 'unpin')
      .description(pin ? 'pin a message in the room (admins)' : 'unpin a message (admins)')
      .argument('<room>', 'room token or join URL')
      .argument('<message-id>', 'the message id')
      .option('--json', 'print JSON')
      .action(async (roomOrUrl: string, idText: string, opts: JsonOpt) => {
        const id = messageId(idText);
        const { room, client } = await openRoom(ctx, roomOrUrl);
        const changed = pin ? (await client.pin(room.room, id), true) : await client.unpin(room.room, id);
        if (opts.json) io.out(JSON.stringify({ room: room.room, id, pinned: pin, changed }) + '\n');
        else io.out(pin ? `Pinned message ${id} in ${room.room}\n` : changed ? `Unpinned message ${id}\n` : `Message ${id} was not pinned\n`);
      });
  }
}

/** A row of the since-stream as the reader sees it. */
export interface ShownRow {
  id: number;
  seqno: number;
  kind: 'post' | 'deleted' | 'reactions';
  sender?: string;
  posted_at?: number;
  text?: string;
  name?: string;
  /** null when the data is no readable post (then there is nothing to verify). */
  signature_valid?: boolean | null;
  reactions?: Record<string, { count: number; you: boolean }>;
  files?: ShownFile[];
}

export interface ShownFile {
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  saved_to?: string;
  error?: string;
}

export function describeRow(row: MessageRow): ShownRow {
  const reactions = row.reactions
    ? Object.fromEntries(Object.entries(row.reactions).map(([emoji, r]) => [emoji, { count: r.count, you: r.you === true }]))
    : undefined;
  if (row.deleted || row.data === null) {
    return { id: row.id, seqno: row.seqno, kind: 'deleted', sender: row.session_id, posted_at: postedMs(row) };
  }
  if (row.data === undefined) return { id: row.id, seqno: row.seqno, kind: 'reactions', reactions };
  const data = new Uint8Array(Buffer.from(row.data, 'base64'));
  const post = decodePost(data);
  const signature = row.signature ? new Uint8Array(Buffer.from(row.signature, 'base64')) : new Uint8Array(0);
  return {
    id: row.id,
    seqno: row.seqno,
    kind: 'post',
    sender: row.session_id,
    posted_at: postedMs(row),
    text: post ? post.text : undefined,
    ...(post?.displayName ? { name: post.displayName } : {}),
    signature_valid: post && row.session_id ? verifyPost(row.session_id, data, signature) : null,
    reactions,
    ...(post?.attachments.length
      ? { files: post.attachments.map((a) => ({ file_name: a.fileName || null, content_type: a.contentType || null, size: a.size ?? null })) }
      : {}),
  };
}

function formatRow(m: ShownRow): string {
  const reactions = m.reactions && Object.keys(m.reactions).length
    ? `  [${Object.entries(m.reactions).map(([e, r]) => `${printable(e)} ${r.count}${r.you ? ' (you)' : ''}`).join(', ')}]`
    : '';
  if (m.kind === 'reactions') return `#${m.id} reactions now:${reactions || ' none'}\n`;
  const when = m.posted_at ? formatTime(m.posted_at) : '?';
  if (m.kind === 'deleted') return `#${m.id} ${when}  ${m.sender ?? '?'}  (deleted)\n`;
  const who = m.name ? `${m.sender} (${printable(m.name)})` : m.sender;
  const warning = m.signature_valid === false ? '  [BAD SIGNATURE: not from this sender]' : '';
  const text = m.text === undefined ? '(not a text message)' : printable(m.text).replace(/\n/g, '\n  ');
  const files = (m.files ?? []).map((f) => `\n  [file ${printable(f.file_name ?? '(unnamed)')}, ${f.size ?? '?'} bytes${f.saved_to ? ` saved to ${f.saved_to}` : f.error ? `: ${f.error}` : ''}]`).join('');
  return `#${m.id} ${when}  ${who}${warning}${reactions}\n  ${text}${files}\n`;
}

/**
 * Downloads the files of the posts shown, only from the room's own server and only after the
 * post's signature checked out. A failed file is reported and the others still come.
 */
async function saveFiles(ctx: CommandContext, client: CommunityClient, room: JoinedRoom, rows: MessageRow[], shown: ShownRow[], dir: string): Promise<void> {
  for (const [i, row] of rows.entries()) {
    const files = shown[i].files;
    if (!files || typeof row.data !== 'string') continue;
    const pointers = decodePost(new Uint8Array(Buffer.from(row.data, 'base64')))?.attachments ?? [];
    for (const [j, pointer] of pointers.entries()) {
      try {
        if (shown[i].signature_valid !== true) throw new ClientError('the post is not signed by its sender; not fetched', 'refused');
        files[j].saved_to = await downloadRoomFile(client, room.server, room.room, pointer, dir);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        files[j].error = err.message;
        ctx.io.err(`starling: attachment ${printable(pointer.fileName || '(unnamed)')}: ${err.message}\n`);
      }
    }
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    throw cannotRead(path, err);
  }
}

function postedMs(row: MessageRow): number | undefined {
  return typeof row.posted === 'number' ? Math.round(row.posted * 1000) : undefined;
}

function messageId(text: string): number {
  if (!/^\d{1,15}$/.test(text) || Number(text) < 1) throw new ClientError(`not a message id: "${text}" (a positive number from "community read")`, 'input');
  return Number(text);
}

function nonNegative(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new ClientError(`${what} needs a seqno (0 or a positive number), not "${text}"`, 'input');
  return Number(text);
}

function userId(text: string): string {
  const id = text.toLowerCase();
  try {
    parsePrefixedId(id, [IdPrefix.session, IdPrefix.blinded15, IdPrefix.blinded25]);
  } catch {
    throw new ClientError(`not a user id: "${text}" (66 hex characters starting 05, 15 or 25)`, 'input');
  }
  return id;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "90", "30m", "1h", "2d": any positive length (a ban timeout is not limited to the timer menu). */
export function durationSeconds(text: string): number {
  const match = /^(\d{1,9})([smhdw]?)$/i.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[(match[2] || 's').toLowerCase()] : 0;
  if (!(seconds > 0)) throw new ClientError(`not a duration: "${text}" (e.g. 90, 30m, 1h, 2d)`, 'input');
  return seconds;
}
