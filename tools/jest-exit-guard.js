// A Jest reporter that turns a leaked handle into a failed run. Without forceExit, Jest waits for
// the process to end on its own; a test that left a socket, server or timer open would hold the
// run (and CI) until its time limit. This timer is unref'd: it fires only if something else still
// keeps the process alive, names what that is, and fails the run.
const GRACE_MS = 10_000;

class ExitGuard {
  onRunComplete() {
    const timer = setTimeout(() => {
      const open = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
      process.stderr.write(`\nJest is still running ${GRACE_MS / 1000} s after the tests finished: a test left open ${open.join(', ')}.\nRun the project's tests with --detectOpenHandles to see where they were opened.\n`);
      process.exit(1);
    }, GRACE_MS);
    timer.unref();
  }
}

module.exports = ExitGuard;
