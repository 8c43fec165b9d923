export * from './identity/keys';
export { runCli } from './cli/program';
