export * from './identity/keys';
export * from './network';
export * from './messaging/wire';
export { runCli } from './cli/program';
