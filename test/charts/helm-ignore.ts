// Helm's .helmignore rules and chart directory loading, as Helm 3 applies them (pkg/ignore and
// pkg/chart/loader/directory.go), so that the tests see the files `helm install` would see. The
// rules are not .gitignore: a pattern is Go's filepath.Match (no **), matched against the base name
// when it has no slash and against the whole relative path when it has one; a trailing slash means
// directories only; rules are tried in order and the first that decides wins; a negated rule
// decides "ignore" for every path it does NOT match. Helm adds `templates/.?*` after the file's
// rules, and an ignored directory is skipped whole.
import * as fs from 'fs';
import * as path from 'path';

interface Rule {
  raw: string;
  negate: boolean;
  mustDir: boolean;
  /** 'root': a leading slash, whole path; 'path': a slash inside, whole path; 'base': base name. */
  scope: 'root' | 'path' | 'base';
  match: RegExp;
}

/**
 * Go's filepath.Match pattern as an anchored RegExp: `*` any run of non-separators, `?` one
 * non-separator, `[...]` a class (`[^...]` negated, ranges, `\` escapes; it may match a
 * separator), `\x` a literal x.
 * Throws on the patterns Go reports as ErrBadPattern (unclosed class, bad range, trailing `\`).
 */
export function goGlobToRegExp(pattern: string): RegExp {
  let out = '';
  const escape = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const bad = () => new Error(`syntax error in pattern ${JSON.stringify(pattern)}`);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) throw bad();
      out += escape(pattern[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      const negated = pattern[j] === '^';
      if (negated) j++;
      // One class character; Go refuses an unescaped '-' or ']' here.
      const classChar = (): string => {
        let ch = pattern[j];
        if (ch === undefined || ch === '-' || ch === ']') throw bad();
        if (ch === '\\') {
          ch = pattern[++j];
          if (ch === undefined) throw bad();
        }
        j++;
        return ch;
      };
      const ranges: string[] = [];
      while (pattern[j] !== ']' || ranges.length === 0) {
        const lo = classChar();
        let hi = lo;
        if (pattern[j] === '-') {
          j++;
          hi = classChar();
          if (hi < lo) throw bad();
        }
        ranges.push(lo === hi ? escape(lo) : `${escape(lo)}-${escape(hi)}`);
        if (j >= pattern.length) throw bad();
      }
      // Unlike `*` and `?`, Go lets a class match the separator ([^a] matches "/").
      out += `[${negated ? '^' : ''}${ranges.join('')}]`;
      i = j;
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`, 's');
}

/** Go's filepath.Base for slash paths: trailing slashes dropped, "" becomes ".". */
function baseName(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return p === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export class HelmIgnore {
  private constructor(private readonly rules: Rule[]) {}

  /** Parses .helmignore text the way Helm's ignore.Parse does (throws where Helm refuses). */
  static parse(text: string): HelmIgnore {
    const rules: Rule[] = [];
    for (const line of text.split(/\r?\n/)) rules.push(...HelmIgnore.rule(line));
    return new HelmIgnore(rules);
  }

  /** What Helm's loader uses for a chart folder: its .helmignore (if any) plus Helm's default. */
  static forChart(dir: string): HelmIgnore {
    const file = path.join(dir, '.helmignore');
    const rules = HelmIgnore.parse(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    rules.rules.push(...HelmIgnore.rule('templates/.?*'));
    return rules;
  }

  private static rule(line: string): Rule[] {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) return [];
    if (rule.includes('**')) throw new Error('double-star (**) syntax is not supported');
    goGlobToRegExp(rule); // Helm compiles the raw rule first: a bad pattern fails the chart.
    const raw = rule;
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    const scope = rule.startsWith('/') ? 'root' : rule.includes('/') ? 'path' : 'base';
    if (scope === 'root') rule = rule.slice(1);
    return [{ raw, negate, mustDir, scope, match: goGlobToRegExp(rule) }];
  }

  /** Helm's Rules.Ignore for a path relative to the chart folder (slashes). */
  ignores(relPath: string, isDir: boolean): boolean {
    if (relPath === '' || relPath === '.' || relPath === './') return false;
    for (const r of this.rules) {
      const matches = r.match.test(r.scope === 'base' ? baseName(relPath) : relPath);
      if (r.negate) {
        if (r.mustDir && !isDir) return true;
        if (!matches) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (matches) return true;
    }
    return false;
  }
}

/**
 * The files Helm's LoadDir reads from a chart folder (relative slash paths, sorted): a walk that
 * skips ignored directories whole and ignored files one by one.
 */
export function chartFiles(dir: string): string[] {
  const rules = HelmIgnore.forChart(dir);
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const isDir = entry.isDirectory();
      if (rules.ignores(child, isDir)) continue;
      if (isDir) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out;
}
