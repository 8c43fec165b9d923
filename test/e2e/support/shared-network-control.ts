// The shared network's folder and control port, without the devnet code (the global setup and
// teardown load this outside the test environment).
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

/** Set by the global setup: the folder of this run's shared network. */
export const SHARED_NETWORK_FOLDER = 'STARLING_SHARED_NETWORK';

export function descriptorFile(folder: string): string {
  return path.join(folder, 'network.json');
}

/** Asks the network's holder to do something (heal, kill/<name>, stop); its JSON answer. */
export async function control(controlUrl: string, action: string): Promise<unknown> {
  const res = await fetch(`${controlUrl}/${action}`, { method: 'POST', signal: AbortSignal.timeout(240_000) });
  const body = (await res.json()) as { error?: string };
  if (res.status !== 200) throw new Error(`shared network ${action}: ${body.error}`);
  return body;
}

/** Tells the run's network to stop, if a test started it; whether one was. */
export async function stopSharedNetwork(folder: string): Promise<boolean> {
  if (!existsSync(descriptorFile(folder))) return false;
  const { controlUrl } = JSON.parse(readFileSync(descriptorFile(folder), 'utf8')) as { controlUrl: string };
  await control(controlUrl, 'stop');
  return true;
}
