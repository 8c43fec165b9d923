// @starling/service-node: what every listed node (relay or storage node) is to a client — its
// public routes, the onion hop behind them, admission, RelayService and network membership.
export * from './options';
export * from './node-config';
export * from './service-node.module';
export * from './admission/admission';
export * from './http/node-routes';
export * from './membership/node-membership';
export * from './hop-metrics';
export * from './onion/hop-reply';
export * from './onion/http-proxy';
export * from './onion/next-hop';
export * from './onion/onion-hop';
export * from './grpc/relay-grpc';
export * from './rpc/node-rpc';
export * from './protocol-version';
