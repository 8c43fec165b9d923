export * from './sodium';
export * from './errors';
