// Preloaded into a service (`NODE_OPTIONS=--require .../cpu-profile-preload.js`, since --cpu-prof
// is refused in NODE_OPTIONS) to write a V8 CPU profile when the process exits, into the folder
// BENCH_CPU_PROF_DIR. Open the .cpuprofile in Chrome DevTools or speedscope.
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import { basename, dirname, join } from 'path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  // services/<name>/dist/main.js -> <name>
  const service = process.argv[1] ? basename(dirname(dirname(process.argv[1]))) : 'node';
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  session.post('Profiler.start');
  // A session on this thread answers synchronously, so the profile is written before exit.
  process.once('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) process.stderr.write(`cpu profile not written: ${err.message}\n`);
      else writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
