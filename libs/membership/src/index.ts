export * from './map-follower';
export * from './membership';
export * from './service-node-list';
export * from './swarm-view';
export * from './swarm-answer';
export { toBase32z } from './base32z';
export * from './oxend-request';
