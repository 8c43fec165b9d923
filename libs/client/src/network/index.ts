export * from './errors';
export * from './service-nodes';
export * from './network-clock';
export * from './onion-paths';
export * from './onion-client';
export * from './swarm-client';
export * from './network';
export * from './known-server';
