export * from './membership';
export * from './service-node-list';
