// Every citation of the protocol documents in the repository (`storage-onion 1.6`, `client.md 6`,
// `sogs-fileserver.md §3.2`, …) names a file of docs/protocol and one of its numbered sections.
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Citation, citationsIn, citationsUnder, sectionsAfter } from './citations';

const REPO_ROOT = path.resolve(__dirname, '../..');
const PROTOCOL_DOCS = path.join(REPO_ROOT, 'docs/protocol');

/** The numbered sections of each document: `## 1. Storage RPC` → 1, `### 1.6 Methods` → 1.6. */
function protocolSections(): Map<string, Set<string>> {
  const docs = new Map<string, Set<string>>();
  for (const name of readdirSync(PROTOCOL_DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const headings = readFileSync(path.join(PROTOCOL_DOCS, name), 'utf8').matchAll(/^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s/gm);
    docs.set(name, new Set([...headings].map((h) => h[1])));
  }
  return docs;
}

/** The citations that point nowhere, as `file:line cites doc section`. */
function unresolved(citations: Citation[], docs: Map<string, Set<string>>): string[] {
  return citations
    .filter((c) => !docs.get(c.doc)?.has(c.section))
    .map((c) => `${c.file}:${c.line} cites ${c.doc} ${c.section}`);
}

// How citations are written in the code, and what they cite. (The texts are joined from parts so
// that this file does not cite anything itself.)
const cite = (...parts: string[]) => parts.join('');
const FORMS: { text: string; cited: string[] }[] = [
  { text: cite('// checks in order (storage-onion', ' 1.6).'), cited: ['storage-onion.md 1.6'] },
  { text: cite('calls (client.md', ' 6, issue 8)'), cited: ['client.md 6'] },
  { text: cite('(sogs-fileserver.md', ' §5) and'), cited: ['sogs-fileserver.md 5'] },
  { text: cite('Sources: client.md', ' 1.3, 9.1, 9.2;'), cited: ['client.md 1.3', 'client.md 9.1', 'client.md 9.2'] },
  { text: cite('(sogs-fileserver.md', ' 2.5-2.7, client.md', ' 9.2)'), cited: ['sogs-fileserver.md 2.5', 'sogs-fileserver.md 2.6', 'sogs-fileserver.md 2.7', 'client.md 9.2'] },
  { text: cite('SOGS API v3, sogs-fileserver.md', ' 1-3): each'), cited: ['sogs-fileserver.md 1', 'sogs-fileserver.md 2', 'sogs-fileserver.md 3'] },
  { text: cite('the end (storage-onion.md', '\n// 3.3). Every hop'), cited: ['storage-onion.md 3.3'] },
  { text: cite("source: 'client.md", " 9.3 / sogs-fileserver.md", " 2.9 A'"), cited: ['client.md 9.3', 'sogs-fileserver.md 2.9'] },
  { text: cite('(client.md', ' 9.2). 15-blinding is'), cited: ['client.md 9.2'] },
  { text: cite('minimum (client.md', ' 5.1, desktop test pins 541)'), cited: ['client.md 5.1'] },
  { text: cite('(libsession multi_encrypt; groups.md', ' 2.3):'), cited: ['groups.md 2.3'] },
  { text: 'the groups 2 and 3 of a request', cited: [] },
  { text: 'the client sends a request; prom-client 15 is a dependency', cited: [] },
];

describe('citations of docs/protocol', () => {
  const docs = protocolSections();
  const citations = citationsUnder(REPO_ROOT);

  it.each(FORMS)('reads $text as $cited', ({ text, cited }) => {
    expect(citationsIn('x.ts', text).map((c) => `${c.doc} ${c.section}`)).toEqual(cited);
  });

  it('stops a section list at the first word that is not a number', () => {
    expect(sectionsAfter(' 2.2, 2.4). Field numbers')).toEqual(['2.2', '2.4']);
    expect(sectionsAfter(': the end')).toEqual([]);
  });

  it('finds the citations across the source tree (libs, services, tests, READMEs)', () => {
    const citing = new Set(citations.map((c) => c.file));
    for (const file of ['libs/crypto/src/onion-framing.ts', 'services/swarm-store/src/rpc/limits.ts', 'libs/client/README.md', 'test/e2e/calls-onion.spec.ts']) {
      expect(citing).toContain(file);
    }
    expect(citing.size).toBeGreaterThanOrEqual(50);
  });

  it('every citation names a document and a section that docs/protocol has', () => {
    expect(unresolved(citations, docs)).toEqual([]);
  });

  it('reports a citation of a section that is missing', () => {
    const stray = citationsIn('stray.ts', cite('// see storage-onion', ' 9.99 and client.md', ' 1.3'));
    expect(unresolved(stray, docs)).toEqual([cite('stray.ts:1 cites storage-onion.md', ' 9.99')]);
  });
});
