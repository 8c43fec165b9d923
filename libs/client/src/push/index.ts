export * from './push-server';
export * from './push-client';
export * from './push-notice';
export * from './push-registration';
