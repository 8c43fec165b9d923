import { runCli } from './program';

// A command is over when runCli returns: exit then, rather than wait for every socket, timer and
// child the network and media code may still hold (keep-alive connections, TURN refreshes).
void runCli(process.argv.slice(2)).then((code) => process.exit(code));
