// Free loopback ports for the processes of a local network: the launcher must know every port
// before it starts a process, because other processes are configured with it.
import { createServer } from 'net';

const handedOut = new Set<number>();

/** A port nothing listens on right now (and that this launcher has not handed out before). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
