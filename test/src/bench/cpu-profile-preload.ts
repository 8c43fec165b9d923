// Preloaded into a service (`NODE_OPTIONS=--require .../cpu-profile-preload.js`, since --cpu-prof
// is refused in NODE_OPTIONS) to write a V8 CPU profile into the folder BENCH_CPU_PROF_DIR: of
// the whole process (written as it exits), or, with BENCH_CPU_PROF_SIGNAL (e.g. SIGUSR2), of the
// time between the first and the second such signal (a benchmark's measured window only). Open
// the .cpuprofile in Chrome DevTools or speedscope.
import { writeFileSync } from 'fs';
import { Session } from 'inspector';
import { basename, dirname, join } from 'path';

const dir = process.env.BENCH_CPU_PROF_DIR;
const signal = process.env.BENCH_CPU_PROF_SIGNAL as NodeJS.Signals | undefined;
if (dir) {
  // services/<name>/dist/main.js -> <name>
  const service = process.argv[1] ? basename(dirname(dirname(process.argv[1]))) : 'node';
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  let running = false;
  const start = () => {
    session.post('Profiler.start');
    running = true;
  };
  // A session on this thread answers synchronously, so the profile is written before exit.
  const stop = () => {
    if (!running) return;
    running = false;
    session.post('Profiler.stop', (err, result) => {
      if (err) process.stderr.write(`cpu profile not written: ${err.message}\n`);
      else writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  if (signal) process.on(signal, () => (running ? stop() : start()));
  else start();
  process.once('exit', stop);
}
