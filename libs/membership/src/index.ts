export * from './map-follower';
export * from './membership';
export * from './service-node-list';
