// Small state files of the local data folder. A write goes to a temporary file in the same folder
// and is renamed over the old one, so a crash leaves either the old or the new file, never half.
import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'fs';
import { ClientError } from '../network/errors';

export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { mode });
    renameSync(temporary, file);
  } catch (err) {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    throw new ClientError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'input');
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** The file's text, or undefined when it does not exist. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClientError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'input');
  }
}

/** Parsed JSON object, or undefined when the file does not exist; a damaged file is an error. */
export function readJsonIfExists(file: string): Record<string, unknown> | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClientError(`${file} is damaged (not a JSON object); fix or remove it`, 'input');
  }
  return value as Record<string, unknown>;
}
