// A merge that left conflict markers in a tracked file (a script, a chart, a config) may still
// build and lint; it must not reach main unnoticed. Markdown is left out: a document may show one.
import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

it('no tracked file holds merge conflict markers', () => {
  let found = '';
  try {
    found = execFileSync('git', ['grep', '-n', '-I', '-E', '^(<<<<<<< |>>>>>>> |=======$)', '--', '.', ':!*.md'], { cwd: ROOT, encoding: 'utf8' });
  } catch (err) {
    // git grep exits 1 when nothing matches.
    if ((err as { status?: number }).status !== 1) throw err;
  }
  expect(found.split('\n').filter(Boolean)).toEqual([]);
});
