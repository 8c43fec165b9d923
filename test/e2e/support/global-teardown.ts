// Jest global teardown of the test project: stops this run's shared network, if a test started it
// (its holder removes the folder once everything has stopped), or removes the unused folder.
import { rmSync } from 'fs';
import { SHARED_NETWORK_FOLDER, stopSharedNetwork } from './shared-network-control';

export default async function globalTeardown(): Promise<void> {
  const folder = process.env[SHARED_NETWORK_FOLDER];
  if (!folder) return;
  if (!(await stopSharedNetwork(folder))) rmSync(folder, { recursive: true, force: true });
}
