// Receiving a file: download through an onion path, check MAC then digest, cut the padding at
// the pointer's size, and only then write it: to a temporary name first, renamed to its final
// name once complete, so a half-written or unverified file never sits under the real name.
import { randomBytes } from 'crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'fs';
import { basename, extname, join } from 'path';
import { CryptoError, decryptAttachment, toHex } from '@starling/crypto';
import { ClientError } from '../network/errors';
import type { ReceivedAttachment } from './attachment-pointer';
import type { FileServer } from './file-server';
import { locateFile } from './file-location';
import { downloadBlob, ServerRequests } from './file-transfer';
import { noProgress, OnProgress } from './progress';

/** Raised when the downloaded blob is not what the sender encrypted: nothing is saved. */
export class AttachmentTampered extends ClientError {
  constructor(detail: string) {
    super(`the downloaded attachment failed verification (${detail}): it was damaged or tampered with; nothing was saved`, 'refused');
    this.name = 'AttachmentTampered';
  }
}

/** Downloads and verifies; returns the file's bytes, never unverified ones. */
export async function fetchAttachment(
  requests: ServerRequests,
  attachment: ReceivedAttachment,
  configured: FileServer | undefined,
  onProgress: OnProgress = noProgress,
): Promise<Uint8Array> {
  const location = locateFile(attachment.url, configured);
  onProgress({ phase: 'download', state: 'start', bytes: 0 });
  const blob = await downloadBlob(requests, location.server, location.id);
  onProgress({ phase: 'download', state: 'done', bytes: blob.length });
  onProgress({ phase: 'verify', state: 'start', bytes: blob.length });
  const data = openBlob(blob, attachment);
  onProgress({ phase: 'verify', state: 'done', bytes: blob.length });
  return data;
}

/** MAC, digest and length checks (libs/crypto) turned into one error the person can read. */
export function openBlob(blob: Uint8Array, attachment: ReceivedAttachment): Uint8Array {
  try {
    return decryptAttachment(blob, attachment.key, attachment.digest, attachment.size);
  } catch (err) {
    if (err instanceof CryptoError) throw new AttachmentTampered(err.message);
    throw err;
  }
}

/**
 * Writes verified bytes into `dir` under the attachment's (cleaned) name, never over an existing
 * file: "name (1).ext" and so on. Returns the path written.
 */
export function saveAttachment(dir: string, attachment: Pick<ReceivedAttachment, 'fileName' | 'digest'>, data: Uint8Array): string {
  const name = safeFileName(attachment.fileName, attachment.digest);
  const temporary = join(dir, `.${name}.${randomBytes(6).toString('hex')}.part`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeWhole(temporary, data);
    return linkUnused(temporary, dir, name);
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw new ClientError(`cannot save the attachment in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'input');
  } finally {
    removeQuietly(temporary);
  }
}

/** One download: fetch, verify, save. */
export async function downloadAttachment(
  requests: ServerRequests,
  attachment: ReceivedAttachment,
  dir: string,
  configured: FileServer | undefined,
  onProgress: OnProgress = noProgress,
): Promise<string> {
  const data = await fetchAttachment(requests, attachment, configured, onProgress);
  onProgress({ phase: 'save', state: 'start', bytes: data.length });
  const path = saveAttachment(dir, attachment, data);
  onProgress({ phase: 'save', state: 'done', bytes: data.length });
  return path;
}

const MAX_NAME_CHARS = 120;

/**
 * A sender's file name is untrusted: only its last path part, no control characters, no leading
 * dots (hidden files, ".."), bounded length; an empty name becomes attachment-<digest prefix>.
 */
export function safeFileName(fileName: string | undefined, digest: Uint8Array): string {
  let name = basename((fileName ?? '').replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f-\u009f/]/g, '_').replace(/^[.\s]+/, '').trim();
  if (name.length > MAX_NAME_CHARS) {
    const ext = extname(name).slice(0, 16);
    name = name.slice(0, MAX_NAME_CHARS - ext.length) + ext;
  }
  return name || `attachment-${toHex(digest).slice(0, 12)}`;
}

function writeWhole(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A hard link fails if the name exists, so the final name appears whole and never replaces a file. */
function linkUnused(temporary: string, dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; n < 1000; n++) {
    const candidate = join(dir, n === 0 ? name : `${stem} (${n})${ext}`);
    try {
      linkSync(temporary, candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new ClientError(`too many files named like ${name} in ${dir}`, 'input');
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
