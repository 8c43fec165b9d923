// Which push server watches this account's swarm: its base URL and X25519 key, given once by
// --push-server/--push-server-key (or STARLING_PUSH_SERVER and STARLING_PUSH_SERVER_KEY) and
// remembered in the data folder's push-server.json. `npm start` prints both for the local network.
import { join } from 'path';
import { requireKnownServer, resolveKnownServer, type KnownServer, type ServerChoice, type ServerKind } from '../network/known-server';

export type PushServer = KnownServer;

export const PUSH_SERVER_FILE = 'push-server.json';

const PUSH_SERVER: ServerKind = { what: 'push server', urlOption: '--push-server', keyOption: '--push-server-key', env: 'STARLING_PUSH_SERVER' };

export function resolvePushServer(home: string, given: ServerChoice): PushServer | undefined {
  return resolveKnownServer(PUSH_SERVER, join(home, PUSH_SERVER_FILE), given);
}

export function requirePushServer(home: string, given: ServerChoice): PushServer {
  return requireKnownServer(PUSH_SERVER, join(home, PUSH_SERVER_FILE), given);
}
