// @starling/platform: what every Starling service uses — config, database and migrations,
// shared state (Redis or in-process), metrics, logger, health, graceful shutdown, test helpers.
export * from './config';
export * from './database';
export * from './migrate';
export * from './shared-state';
export * from './metrics';
export * from './logger';
export * from './health';
export * from './edge';
export * from './nest';
export * from './shutdown';
export * from './testing';
