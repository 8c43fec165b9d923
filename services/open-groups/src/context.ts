// Everything a route module needs, built once per server by server.ts.
import type { Database, SharedState } from '@starling/platform';
import type { MessagesService } from './messages/messages.service';
import type { OpenGroupsMetrics } from './ops/metrics';
import type { RoomsService } from './rooms/rooms.service';
import type { UsersService } from './users/users.service';

export interface ServerSettings {
  requireBlinding: boolean;
  /** Seconds; 0 = attachments never expire once claimed. */
  fileExpirySeconds: number;
  uploadClaimSeconds: number;
  maxFileBytes: number;
  dmExpirySeconds: number;
  activeUsersCutoffSeconds: number;
}

export interface AppContext {
  db: Database;
  state: SharedState;
  settings: ServerSettings;
  serverPk: Uint8Array;
  rooms: RoomsService;
  users: UsersService;
  messages: MessagesService;
  metrics: OpenGroupsMetrics;
  now: () => number;
}
