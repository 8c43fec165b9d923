export * from './join-url';
export * from './community-message';
export * from './community-client';
export * from './community-store';
export * from './room-files';
