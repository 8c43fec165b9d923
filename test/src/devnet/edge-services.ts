// The services at the network's edge, as devnet ServiceSpecs: onion relays, the file server, a
// community server and a push server. Listed nodes (relays here, storage nodes in startDevnet) may
// proxy only to this network's own file, community and push servers. Server keys are kept in the
// devnet folder, so join URLs and the file and push server keys survive restarts.
import * as path from 'path';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, loadOrCreateSeedFile, ready, toHex, x25519PublicKeyFromSecret } from '@starling/crypto';
import type { DevnetContext } from './devnet';
import { proxyAllowList, type ServiceSpec } from './service-process';

export interface EdgeOptions {
  /** Onion relays (default 3: one path's worth; clients build two paths when there are more). */
  relays?: number;
  fileServer?: boolean;
  community?: boolean;
  /** A push server (default off: the launcher and the tests that need one start it). */
  push?: boolean;
  /** Rooms the community server creates at start (default lobby). */
  rooms?: string[];
  /** Extra environment per service kind (tests shorten timers with it). */
  relayEnv?: Record<string, string>;
  fileServerEnv?: Record<string, string>;
  communityEnv?: Record<string, string>;
  pushEnv?: Record<string, string>;
}

/**
 * Where clients find the edge servers. The file and push servers' `pubkey` is their Ed25519 key
 * (what clients are given), `x25519` the onion key derived from it; the community's is X25519.
 */
export interface EdgeDirectory {
  fileServer?: { url: string; port: number; pubkey: string; x25519: string };
  community?: { url: string; port: number; pubkey: string; joinUrls: string[] };
  push?: { url: string; port: number; pubkey: string; x25519: string };
}

/** Returns the specs to pass as `extraServices`, and fills `directory` as it allocates them. */
export function edgeServices(options: EdgeOptions, directory: EdgeDirectory) {
  return async (net: DevnetContext): Promise<ServiceSpec[]> => {
    await ready();
    const specs: ServiceSpec[] = [];

    if (options.fileServer ?? true) {
      const [port, opsPort] = [await net.freePort(), await net.freePort()];
      // The file server's Ed25519 identity: links carry the public key, onion requests go to its X25519 form.
      const seed = loadOrCreateSeedFile(path.join(net.dataDir, 'keys', 'file-server.ed25519'));
      const ed25519 = ed25519KeyPairFromSeed(seed).publicKey;
      const url = `http://127.0.0.1:${port}`;
      directory.fileServer = { url, port, pubkey: toHex(ed25519), x25519: toHex(ed25519PublicKeyToX25519(ed25519)) };
      specs.push({
        name: 'file-server',
        service: 'file-server',
        role: 'file server',
        httpPort: port,
        proxyTarget: `127.0.0.1:${port}`,
        opsPort,
        env: {
          FILE_SERVER_HOST: '127.0.0.1',
          FILE_SERVER_PORT: String(port),
          FILE_SERVER_OPS_PORT: String(opsPort),
          FILE_SERVER_DATA_DIR: path.join(net.dataDir, 'file-server'),
          FILE_SERVER_KEY: toHex(seed),
          FILE_SERVER_PUBLIC_URL: url,
          ...net.databaseEnv('FILE_SERVER_DB_SCHEMA', 'file-server'),
          ...options.fileServerEnv,
        },
      });
    }

    if (options.community ?? true) {
      const [port, opsPort] = [await net.freePort(), await net.freePort()];
      const secret = loadOrCreateSeedFile(path.join(net.dataDir, 'keys', 'community.x25519'));
      const pubkey = toHex(x25519PublicKeyFromSecret(secret));
      const url = `http://127.0.0.1:${port}`;
      const rooms = options.rooms ?? ['lobby'];
      directory.community = { url, port, pubkey, joinUrls: rooms.map((room) => `${url}/${room}?public_key=${pubkey}`) };
      specs.push({
        name: 'community',
        service: 'open-groups',
        role: 'community server',
        httpPort: port,
        proxyTarget: `127.0.0.1:${port}`,
        opsPort,
        env: {
          OPEN_GROUPS_HOST: '127.0.0.1',
          OPEN_GROUPS_PORT: String(port),
          OPEN_GROUPS_OPS_PORT: String(opsPort),
          OPEN_GROUPS_DATA_DIR: path.join(net.dataDir, 'community'),
          OPEN_GROUPS_SERVER_KEY: toHex(secret),
          OPEN_GROUPS_ROOMS: rooms.join(','),
          OPEN_GROUPS_BASE_URL: url,
          ...net.databaseEnv('OPEN_GROUPS_DB_SCHEMA', 'community'),
          ...(net.redisUrl ? { REDIS_URL: net.redisUrl } : {}),
          ...options.communityEnv,
        },
      });
    }

    if (options.push ?? false) {
      const [port, opsPort] = [await net.freePort(), await net.freePort()];
      const seed = loadOrCreateSeedFile(path.join(net.dataDir, 'keys', 'push.ed25519'));
      const ed25519 = ed25519KeyPairFromSeed(seed).publicKey;
      const url = `http://127.0.0.1:${port}`;
      directory.push = { url, port, pubkey: toHex(ed25519), x25519: toHex(ed25519PublicKeyToX25519(ed25519)) };
      specs.push({
        name: 'push',
        service: 'push',
        role: 'push server',
        httpPort: port,
        proxyTarget: `127.0.0.1:${port}`,
        opsPort,
        env: {
          PUSH_HOST: '127.0.0.1',
          PUSH_PORT: String(port),
          PUSH_OPS_PORT: String(opsPort),
          PUSH_DATA_DIR: path.join(net.dataDir, 'push'),
          PUSH_KEY: toHex(seed),
          PUSH_PUBLIC_URL: url,
          // Endpoints of a local network (a bot's webhook, a test's endpoint) are on loopback.
          PUSH_UNIFIEDPUSH_ALLOW_PRIVATE: 'true',
          REGISTRY_GRPC_ADDRESS: net.registryGrpcAddress,
          REGISTRY_PUBKEY: net.registryPubkey,
          ...net.databaseEnv('PUSH_DB_SCHEMA', 'push'),
          ...(net.redisUrl ? { REDIS_URL: net.redisUrl } : {}),
          ...options.pushEnv,
        },
      });
    }

    // Relays may proxy to these servers, as storage nodes may (startDevnet gives them the same list).
    const proxyAllow = proxyAllowList(specs);
    for (let i = 1; i <= (options.relays ?? 3); i++) {
      const name = `relay-${i}`;
      const [httpPort, grpcPort, opsPort] = [await net.freePort(), await net.freePort(), await net.freePort()];
      specs.push({
        name,
        service: 'entry-relay',
        role: 'onion relay',
        httpPort,
        grpcPort,
        opsPort,
        tls: true,
        env: {
          ENTRY_RELAY_HOST: '127.0.0.1',
          ENTRY_RELAY_HTTP_PORT: String(httpPort),
          ENTRY_RELAY_GRPC_PORT: String(grpcPort),
          ENTRY_RELAY_OPS_PORT: String(opsPort),
          ENTRY_RELAY_DATA_DIR: path.join(net.dataDir, name),
          ENTRY_RELAY_PROXY_ALLOW: proxyAllow,
          REGISTRY_GRPC_ADDRESS: net.registryGrpcAddress,
          REGISTRY_PUBKEY: net.registryPubkey,
          ...(net.redisUrl ? { REDIS_URL: net.redisUrl } : {}),
          ...options.relayEnv,
        },
      });
    }
    return specs;
  };
}
