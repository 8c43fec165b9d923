// @starling/push: the push notification service (startPush, PushModule) and its parts: the client
// API, subscription storage, swarm monitors, notices, delivery providers, configuration, metrics.
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
export * from './push';
export * from './push.module';
export * from './tokens';
export * from './monitoring/swarm-map';
export * from './monitoring/swarm-monitors';
export * from './monitoring/node-stream';
