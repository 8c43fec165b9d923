// @starling/onion-server: the /oxen/v4/lsrpc (and v3) endpoint of an HTTP server reached through
// onion paths, written once for the file server, the community server and the push server.
export * from './onion-endpoint';
export * from './exit-node';
