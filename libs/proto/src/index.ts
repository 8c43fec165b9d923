// Generated contracts (ts-proto, from /proto) and the small helpers every gRPC caller uses.
export * as common from './gen/starling/common/v1/common';
export * as registry from './gen/starling/registry/v1/registry';
export * as swarmstore from './gen/starling/swarmstore/v1/swarmstore';
export * as relay from './gen/starling/relay/v1/relay';
export * from './grpc-client';
export * from './grpc-observe';
export * from './grpc-mux';
export * from './relay-codec';
export * from './grpc-server';
export * from './node-ids';
export * from './announcement';
export * from './network-map';
export * from './swarmstore-signing';
export * from './grpc-health';
export * from './grpc-host';
export * from './monitor-codes';
