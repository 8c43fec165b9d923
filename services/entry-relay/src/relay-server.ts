// Assembles one relay: its identity, the onion router, admission control, the public HTTP edge
// (NestJS on Fastify, with the onion route in front), the gRPC service for other relays, and its
// membership in the network.
import 'reflect-metadata';
import { join } from 'path';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { identityFromSeed, loadOrCreateSeedFile, ready, seedFromConfig, toHex } from '@starling/crypto';
import { NetworkMembership } from '@starling/membership';
import {
  createLogger,
  createMetrics,
  frontServerFactory,
  HealthChecks,
  HttpMetrics,
  instrumentFastify,
  Logger,
  mountOpsRoutes,
  openSharedState,
} from '@starling/platform';
import { addMultiplexedService, bindGrpcServer, common, drainGrpcServer, grpc, relay } from '@starling/proto';
import { AdmissionControl } from './admission/admission';
import { RelayConfig } from './config';
import { GuardRpc } from './guard/guard-rpc';
import { EdgeController } from './http/edge.controller';
import { withOnionRoute } from './http/onion-route';
import { HttpProxy } from './onion/http-proxy';
import { NextHop } from './onion/next-hop';
import { OnionRouter } from './onion/onion-router';
import { RELAY_CONTEXT, RelayContext } from './relay-context';
import { relayGrpcService } from './relay-grpc';
import { RelayMetrics } from './relay-metrics';

export const RELAY_VERSION = '0.1.0';
/** The largest onion request a client may POST (as upstream: 10 MiB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface RunningRelay {
  httpPort: number;
  grpcPort: number;
  pubkeyEd25519: string;
  pubkeyX25519: string;
  close(): Promise<void>;
}

@Module({})
class EdgeModule {
  static with(context: RelayContext): DynamicModule {
    return { module: EdgeModule, controllers: [EdgeController], providers: [{ provide: RELAY_CONTEXT, useValue: context }] };
  }
}

export async function startRelay(config: RelayConfig, logger: Logger = createLogger('entry-relay')): Promise<RunningRelay> {
  await ready();
  const seed = config.keyHex ? seedFromConfig(config.keyHex, 'ENTRY_RELAY_KEY') : loadOrCreateSeedFile(join(config.dataDir, 'relay.key'));
  const identity = identityFromSeed(seed);
  const pubkeyEd25519 = toHex(identity.ed25519.publicKey);

  const metrics = createMetrics('entry-relay');
  const health = new HealthChecks();
  const sharedState = await openSharedState({ url: config.redisUrl, keyPrefix: 'entry-relay:' });

  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': MAX_BODY_BYTES + 1024 * 1024 });
  const grpcPort = await bindGrpcServer(grpcServer, config.host, config.grpcPort);
  const grpcAddress = config.advertisedGrpcAddress ?? `${config.host}:${grpcPort}`;

  // The membership needs the HTTP port (it is published in the map), so the edge listens first.
  let membership!: NetworkMembership;
  const nextHop = new NextHop({ node: (ed) => membership.node(ed) }, config.hopTimeoutMs);
  const guardRpc = new GuardRpc({ get map() { return membership?.map; } }, config.hopTimeoutMs);
  const admission = new AdmissionControl(sharedState, {
    capacity: config.bucketCapacity,
    refillPerSecond: config.bucketRefillPerSecond,
    maxInFlight: config.maxInFlight,
    secret: config.rateLimitSecret,
  });
  const relayMetrics = new RelayMetrics(metrics, () => admission.current, () => countByRole(membership));
  const proxy = new HttpProxy(config.proxyAllow, config.proxyTimeoutMs, config.proxyMaxResponseBytes);
  const context: RelayContext = {
    router: new OnionRouter(identity.x25519, nextHop, proxy),
    admission,
    metrics: relayMetrics,
    get membership() {
      return membership;
    },
    guardRpc,
    pubkeyEd25519,
    logger,
  };
  addMultiplexedService(grpcServer, relay.RelayServiceService, relayGrpcService(context, RELAY_VERSION));

  const edge = await createEdge(context, metrics, health);
  await edge.listen({ host: config.host, port: config.httpPort });
  const httpPort = (edge.getHttpServer().address() as { port: number }).port;

  membership = new NetworkMembership({
    registryAddress: config.registryAddress,
    registryPubkey: config.registryPubkey,
    keys: identity,
    role: common.NodeRole.NODE_ROLE_RELAY,
    grpcAddress,
    publicIp: config.publicHost ?? config.host,
    publicPort: config.publicPort ?? httpPort,
    version: RELAY_VERSION,
    logger,
  });
  health.addReadiness('network-map', () => {
    if (!membership.map) throw new Error('no network map yet');
  });
  await membership.start();

  logger.info({ httpPort, grpcPort, pubkeyEd25519, pubkeyX25519: toHex(identity.x25519.publicKey) }, 'entry relay listening');
  return {
    httpPort,
    grpcPort,
    pubkeyEd25519,
    pubkeyX25519: toHex(identity.x25519.publicKey),
    async close() {
      membership.close();
      await edge.close();
      await drainGrpcServer(grpcServer, 5_000);
      nextHop.close();
      await proxy.close();
      guardRpc.close();
      await sharedState.close();
    },
  };
}

async function createEdge(context: RelayContext, metrics: ReturnType<typeof createMetrics>, health: HealthChecks): Promise<NestFastifyApplication> {
  const http = new HttpMetrics(metrics);
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    logger: false,
    trustProxy: false,
    // The onion route is served before Fastify sees the request (onion-route.ts).
    serverFactory: frontServerFactory((fastify) => withOnionRoute({ relay: context, http, maxBodyBytes: MAX_BODY_BYTES }, fastify)),
  });
  const fastify = adapter.getInstance();
  // Every body is read as raw bytes: onion blobs are binary, and storage RPC JSON is parsed by
  // the handler so that a malformed body gets the protocol's error text, not Fastify's.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
  mountOpsRoutes(fastify, { health, metrics });
  instrumentFastify(fastify, http);
  const app = await NestFactory.create<NestFastifyApplication>(EdgeModule.with(context), adapter, { logger: false, bodyParser: false });
  await app.init();
  return app;
}

function countByRole(membership: NetworkMembership | undefined): Record<string, number> {
  const counts: Record<string, number> = { store: 0, relay: 0 };
  for (const node of membership?.map?.nodes ?? []) {
    if (node.role === common.NodeRole.NODE_ROLE_STORE) counts.store++;
    else if (node.role === common.NodeRole.NODE_ROLE_RELAY) counts.relay++;
  }
  return counts;
}
