// The attachment parts of `send --file` and `inbox`: read and upload files before a message is
// sent, fetch and save the files of received messages, and show each phase on stderr (not under
// --json: stderr then holds only JSON, and the command's JSON says how each file went).
import { readFileSync, statSync } from 'fs';
import { basename, join } from 'path';
import { AccountStore } from '../../account/account-store';
import { readAttachmentPointer } from '../../attachments/attachment-pointer';
import { downloadAttachment } from '../../attachments/attachment-download';
import { checkAttachmentSize, uploadAttachment } from '../../attachments/attachment-upload';
import { contentTypeOf } from '../../attachments/content-type';
import { OnProgress } from '../../attachments/progress';
import { InboxEntry } from '../../conversations/inbox';
import { AttachmentPointerFields } from '../../messaging/session-protos';
import { ClientError } from '../../network/errors';
import { Io } from '../output';
import { CommandContext } from './context';
import { printable } from './format';

/** Encrypts and uploads every file (after checking them all), returning their pointers. */
export async function uploadFiles(ctx: CommandContext, store: AccountStore, paths: string[], json: boolean): Promise<AttachmentPointerFields[]> {
  if (paths.length === 0) return [];
  // Every file is checked before the first byte leaves: a bad second file must not strand the first.
  for (const path of paths) checkAttachmentSize(fileSize(path));
  const server = ctx.fileServer(true);
  const requests = await ctx.servers(store);
  const pointers: AttachmentPointerFields[] = [];
  for (const path of paths) {
    const data = readFile(path);
    const fileName = basename(path);
    const line = new ProgressLine(json ? QUIET : ctx.io, printable(fileName));
    try {
      const uploaded = await uploadAttachment(requests, server, data, { fileName, contentType: contentTypeOf(fileName) }, { pad: true, onProgress: line.report });
      pointers.push(uploaded.pointer);
    } finally {
      line.end();
    }
  }
  return pointers;
}

export interface SavedAttachment {
  fileName: string | null;
  contentType: string | null;
  size: number | null;
  savedTo?: string;
  error?: string;
}

/**
 * Fetches the attachments of the polled messages into `dir`. A failed one (gone, tampered,
 * malformed pointer) is reported and the others still come; nothing unverified is saved.
 */
export async function saveAttachments<E extends Pick<InboxEntry, 'attachments'>>(
  ctx: CommandContext,
  store: AccountStore,
  entries: E[],
  dir: string,
  json: boolean,
): Promise<Map<E, SavedAttachment[]>> {
  const saved = new Map<E, SavedAttachment[]>();
  if (!entries.some((e) => e.attachments?.length)) return saved;
  const configured = ctx.fileServer(false);
  const requests = await ctx.servers(store);
  for (const entry of entries) {
    const results: SavedAttachment[] = [];
    for (const pointer of entry.attachments ?? []) {
      const result: SavedAttachment = { fileName: pointer.fileName || null, contentType: pointer.contentType || null, size: pointer.size ?? null };
      const line = new ProgressLine(json ? QUIET : ctx.io, printable(pointer.fileName || '(unnamed)'));
      try {
        result.savedTo = await downloadAttachment(requests, readAttachmentPointer(pointer), dir, configured, line.report);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        line.end();
        if (!json) ctx.io.err(`starling: attachment ${printable(pointer.fileName || '(unnamed)')}: ${err.message}\n`);
        result.error = err.message;
      }
      line.end();
      results.push(result);
    }
    if (results.length > 0) saved.set(entry, results);
  }
  return saved;
}

export function formatSaved(results: SavedAttachment[] | undefined): string {
  return (results ?? [])
    .map((r) => {
      const name = printable(r.fileName ?? '(unnamed)');
      const size = r.size === null ? '' : ` (${r.size.toLocaleString('en')} bytes)`;
      return r.savedTo ? `  [file] ${name}${size} saved to ${printable(r.savedTo)}\n` : `  [file] ${name}${size} NOT saved: ${r.error}\n`;
    })
    .join('');
}

export function savedJson(results: SavedAttachment[] | undefined): Record<string, unknown>[] {
  return (results ?? []).map((r) => ({ file_name: r.fileName, content_type: r.contentType, size: r.size, saved_to: r.savedTo ?? null, error: r.error ?? null }));
}

export function defaultDownloadDir(ctx: CommandContext): string {
  return join(ctx.home(), 'downloads');
}

const QUIET: Io = { out: () => undefined, err: () => undefined };

/**
 * One stderr line per file, a step per phase with its byte count, e.g.
 * "photo.jpg: encrypt 10,000 B ok | upload 10,064 B ok | done". Each phase is one whole step
 * (an upload is a single onion request), so there is no percentage to show.
 */
class ProgressLine {
  private open = false;
  private finished = false;

  constructor(
    private readonly io: Io,
    private readonly label: string,
  ) {}

  readonly report: OnProgress = (event) => {
    if (event.state === 'start') {
      const bytes = event.bytes > 0 ? ` ${event.bytes.toLocaleString('en')} B` : '';
      this.io.err(`${this.open ? ' | ' : `${this.label}: `}${event.phase}${bytes} ... `);
      this.open = true;
    } else {
      this.io.err(event.phase === 'download' ? `${event.bytes.toLocaleString('en')} B ok` : 'ok');
      if (event.phase === 'upload' || event.phase === 'save') this.finished = true;
    }
  };

  /** Closes the line: "done" after the last phase, "failed" when a phase never finished. */
  end(): void {
    if (this.open) this.io.err(this.finished ? ' | done\n' : 'failed\n');
    this.open = false;
  }
}

function fileSize(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ClientError(`${path} is not a regular file`, 'input');
    return stat.size;
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw cannotRead(path, err);
  }
}

/** A local file that is missing is "not found"; one that cannot be read is bad input. */
export function cannotRead(path: string, err: unknown): ClientError {
  const code = (err as NodeJS.ErrnoException).code;
  return new ClientError(`cannot read ${path}: ${code ?? (err as Error).message}`, code === 'ENOENT' ? 'not_found' : 'input');
}

function readFile(path: string): Uint8Array {
  try {
    const data = readFileSync(path);
    // The file may have grown since it was checked.
    checkAttachmentSize(data.length);
    return data;
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw cannotRead(path, err);
  }
}
