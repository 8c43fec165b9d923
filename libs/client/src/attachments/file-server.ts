// Which file server attachments go to (client.md 5.3): its base URL and its key (the Ed25519 key
// attachment links carry as `#p=`; see network/known-server.ts). Given once by
// --file-server/--file-server-key (or STARLING_FILE_SERVER and STARLING_FILE_SERVER_KEY) and
// remembered in the data folder's file-server.json.
import { join } from 'path';
import { parseKnownServer, requireKnownServer, resolveKnownServer, type KnownServer, type ServerChoice, type ServerKind } from '../network/known-server';

export type FileServer = KnownServer;
export type FileServerChoice = ServerChoice;

export const FILE_SERVER_FILE = 'file-server.json';

const FILE_SERVER: ServerKind = { what: 'file server', urlOption: '--file-server', keyOption: '--file-server-key', env: 'STARLING_FILE_SERVER' };

/** Checks and normalises a URL and key given by the person or a stored file. */
export function parseFileServer(url: string, key: string): FileServer {
  return parseKnownServer(FILE_SERVER, url, key);
}

/**
 * The file server to use: what was given now (both parts, or one part on top of the stored
 * server) is checked and stored for next time; otherwise the stored one; otherwise undefined.
 */
export function resolveFileServer(home: string, given: FileServerChoice): FileServer | undefined {
  return resolveKnownServer(FILE_SERVER, join(home, FILE_SERVER_FILE), given);
}

/** Same as resolveFileServer, but a missing server is an error naming what to pass. */
export function requireFileServer(home: string, given: FileServerChoice): FileServer {
  return requireKnownServer(FILE_SERVER, join(home, FILE_SERVER_FILE), given);
}
