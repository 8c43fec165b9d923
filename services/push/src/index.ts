// @starling/push: everything below the composition root (which the service's NestJS module and
// the edge wire together): the client API handler, subscription storage, notices, providers.
export * from './config';
export * from './metrics';
export * from './subscriptions/push-api';
export * from './subscriptions/subscribe-error';
export * from './subscriptions/subscription-store';
export * from './subscriptions/migrations';
export * from './notices/notice-dispatcher';
export * from './notices/notice-filter';
export * from './delivery/provider';
export * from './delivery/providers';
export * from './delivery/delivery-queue';
export * from './delivery/unifiedpush';
export * from './delivery/fcm';
export * from './delivery/apns';
export * from './monitoring/monitor-wire';
