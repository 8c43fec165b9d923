export * from './reply';
export * from './json';
export * from './routes';
export * from './body';
export * from './edge';
export * from './ops-routes';
export * from './tls';
