// Jest global setup of the test project: a folder for this run's shared network (started by the
// first test that asks for it, see shared-network.ts).
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SHARED_NETWORK_FOLDER } from './shared-network-control';

export default function globalSetup(): void {
  process.env[SHARED_NETWORK_FOLDER] = mkdtempSync(join(tmpdir(), 'starling-shared-net-'));
}
