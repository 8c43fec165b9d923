// What other projects (the local-network launcher, whole-network tests) use to start a file server.
export { createFileServer, MIGRATIONS_DIR, type FileServer, type FileServerOptions } from './file-server';
export { checkFileServerConfig, fileServerConfigFromEnv, FILE_SERVER_CONFIG, type BlobStoreMode, type FileServerConfig } from './config';
