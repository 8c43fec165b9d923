export { createCommunityServer, startCommunityServer, MIGRATIONS_DIR, type CommunityServer, type CommunityServerOptions } from './server';
export { OpenGroupsModule } from './open-groups.module';
export { loadOpenGroupsConfig, openGroupsConfigSpec, type OpenGroupsConfig } from './config';
export { joinUrl } from './keys/server-key';
export { capabilities } from './rooms/capabilities.routes';
