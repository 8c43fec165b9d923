export * from './identity/keys';
export * from './network';
export * from './messaging/wire';
export { EXIT_CODES, runCli } from './cli/program';
export { pipedInput, type Input } from './cli/input';
export type { Io } from './cli/output';
export { RECOVERY_PHRASE_ENV } from './cli/account-secret';
// Account, storage, conversation and sync layers (helper for issue 4, client part).
export * from './account/account-state';
export { AccountStore } from './account/account-store';
export { OwnSwarmRequests, storeToInbox } from './storage/own-swarm-requests';
export type { SwarmAccess } from './storage/swarm-access';
export { MessageSender } from './conversations/send';
export type { SentMessage } from './conversations/send';
export { Inbox } from './conversations/inbox';
export type { InboxEntry, PollResult } from './conversations/inbox';
export { parseTimer } from './conversations/disappearing';
export { ConfigSync } from './sync/config-sync';
export { changeConfigs, contactList, contactOf, editContact, isBlocked, profileName, readConfigs, setProfileName } from './sync/config-changes';
// The account's configs in libsession's format (issue 18).
export * from './config';
// Attachments: encryption, onion upload/download to the file server, pointers (issue 5, client part).
export * from './attachments';
// Calls: signalling, TURN credentials, WebRTC sessions (issue 8).
export * from './calls';
export { CALL_TYPE } from './messaging/session-protos';
export type { CallMessageFields, CallType } from './messaging/session-protos';
// Communities: join URLs, signed onion requests to community servers, joined rooms (issue 6, client part).
export * from './communities';
// Private groups (issue 19).
export * from './groups';
// Push notifications: subscribe through onion paths, read delivered notices (issue 21, client part).
export * from './push';
