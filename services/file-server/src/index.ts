// What other projects (whole-network tests) use to start a file server.
export { createFileServer, MIGRATIONS_DIR, type FileServer, type FileServerOptions } from './file-server';
export { FileServerModule } from './file-server.module';
export { checkFileServerConfig, fileServerConfigFromEnv, fileServerConfigSpec, FILE_SERVER_CONFIG, type BlobStoreMode, type FileServerConfig } from './config';
