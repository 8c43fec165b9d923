// `npm run bench`: runs every benchmark in this folder one after another, each in its own
// process (so one benchmark's warm caches and open handles do not skew the next), and prints
// their output. Benchmarks print ratios against a baseline they measure in the same run.
import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';

const only = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file.replace(/\.bench\.js$/, '')} ===`);
  const result = spawnSync(process.execPath, [join(__dirname, file)], { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    failed++;
    console.log(`${file} exited with ${result.status ?? result.signal}`);
  }
}
if (benches.length === 0) console.log('no benchmarks matched');
process.exitCode = failed > 0 ? 1 : 0;
