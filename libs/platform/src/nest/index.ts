export * from './service-host';
export * from './platform.module';
export * from './start-service';
