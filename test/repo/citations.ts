// Citations of the protocol documents in comments and docs, e.g. `storage-onion 1.6`,
// `client.md 6`, `sogs-fileserver.md §3.2`, `client.md 1.3, 9.1`, `sogs-fileserver.md 2.5-2.7`,
// and where they point: a file of docs/protocol and one of its numbered sections.
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

export interface Citation {
  file: string; // the citing file, relative to the repository root
  line: number;
  doc: string; // e.g. `storage-onion.md`
  section: string; // e.g. `1.6`
}

// `client` and `groups` alone are ordinary words, so those are cited with their `.md`.
const DOC = /\b(storage-onion|sogs-fileserver|peers-ops|session-apps|client(?=\.md)|groups(?=\.md))(?:\.md)?\b/g;
const NUMBER = /^\d+(?:\.\d+)*/;
// Between a document's name and a section number, or between two numbers: spaces, a `§`, and a
// line break with the next comment line's leader (`//`, `*`, `#`).
const GAP = /^(?:\s|\/\/|\*|#|§)*/;
const LIST_SEPARATOR = /^\s*(?:,|and\b|&)/;
const RANGE_SEPARATOR = /^\s*[-–]\s*/;

/** Every section a range `from-to` covers when both lie under the same parent (2.5-2.7, 1-3). */
function expandRange(from: string, to: string): string[] {
  const a = from.split('.').map(Number);
  const b = to.split('.').map(Number);
  const sameParent = a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);
  if (!sameParent || b[b.length - 1] < a[a.length - 1]) return [from, to];
  const parent = a.slice(0, -1);
  const out: string[] = [];
  for (let n = a[a.length - 1]; n <= b[b.length - 1]; n++) out.push([...parent, n].join('.'));
  return out;
}

/** The sections cited right after a document's name in `rest` (empty when no number follows). */
export function sectionsAfter(rest: string): string[] {
  const sections: string[] = [];
  let text = rest.replace(GAP, '');
  let number = NUMBER.exec(text);
  while (number) {
    text = text.slice(number[0].length);
    const range = RANGE_SEPARATOR.exec(text);
    const end = range ? NUMBER.exec(text.slice(range[0].length)) : null;
    if (range && end) {
      sections.push(...expandRange(number[0], end[0]));
      text = text.slice(range[0].length + end[0].length);
    } else {
      sections.push(number[0]);
    }
    const separator = LIST_SEPARATOR.exec(text);
    if (!separator) break;
    text = text.slice(separator[0].length).replace(GAP, '');
    number = NUMBER.exec(text);
  }
  return sections;
}

/** The citations in one file's text. */
export function citationsIn(file: string, text: string): Citation[] {
  const found: Citation[] = [];
  for (const match of text.matchAll(DOC)) {
    const at = match.index ?? 0;
    const doc = `${match[1]}.md`;
    const line = text.slice(0, at).split('\n').length;
    for (const section of sectionsAfter(text.slice(at + match[0].length, at + match[0].length + 200))) {
      found.push({ file, line, doc, section });
    }
  }
  return found;
}

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage', 'gen', '.nx', '.data', '.git']);
const SCANNED = /\.(ts|js|mjs|md|proto|sql|ya?ml|json|tpl|sh)$|^(Dockerfile|run)$/;

/** Every file under `root`'s source folders that may hold a citation (relative paths). */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(rel);
      } else if (SCANNED.test(entry.name) && entry.name !== 'package-lock.json') {
        files.push(rel);
      }
    }
  };
  for (const top of ['libs', 'services', 'test', 'proto', 'deploy', 'tools', 'docs', '.ci']) walk(top);
  files.push('README.md', 'Dockerfile');
  return files.sort();
}

export function citationsUnder(root: string): Citation[] {
  return sourceFiles(root).flatMap((file) => citationsIn(file, readFileSync(path.join(root, file), 'utf8')));
}
