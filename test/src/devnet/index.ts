export * from './devnet';
export * from './service-process';
export * from './ports';
export * from './edge-services';
export * from './schemas';
export * from './turn-server';
export type { SharedNetworkDescriptor } from './shared-network-main';
