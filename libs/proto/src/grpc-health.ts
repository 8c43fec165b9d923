// The standard gRPC health service (grpc.health.v1.Health/Check), so that Kubernetes probes and
// grpc_health_probe can ask any Starling gRPC server whether it serves. The two tiny messages
// are encoded by hand: no .proto file or code generation needed for them.
import * as grpc from '@grpc/grpc-js';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';

export enum HealthServingStatus {
  UNKNOWN = 0,
  SERVING = 1,
  NOT_SERVING = 2,
  SERVICE_UNKNOWN = 3,
}

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  status: HealthServingStatus;
}

function encodeRequest(m: HealthCheckRequest): Buffer {
  const w = new BinaryWriter();
  if (m.service) w.uint32(10).string(m.service);
  return Buffer.from(w.finish());
}

function decodeRequest(bytes: Buffer): HealthCheckRequest {
  const r = new BinaryReader(bytes);
  const out: HealthCheckRequest = { service: '' };
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (field === 1 && wireType === 2) out.service = r.string();
    else r.skip(wireType);
  }
  return out;
}

function encodeResponse(m: HealthCheckResponse): Buffer {
  const w = new BinaryWriter();
  if (m.status) w.uint32(8).int32(m.status);
  return Buffer.from(w.finish());
}

function decodeResponse(bytes: Buffer): HealthCheckResponse {
  const r = new BinaryReader(bytes);
  const out: HealthCheckResponse = { status: HealthServingStatus.UNKNOWN };
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (field === 1 && wireType === 0) out.status = r.int32();
    else r.skip(wireType);
  }
  return out;
}

export const HealthService = {
  check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeRequest,
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: decodeResponse,
  },
} as const satisfies grpc.ServiceDefinition;

/**
 * Adds Health/Check to a server. `serving` answers for the whole server (service "") and for
 * each name in `services`; other names get NOT_FOUND, as the standard asks.
 */
export function addGrpcHealthService(server: grpc.Server, serving: () => boolean | Promise<boolean>, services: ReadonlySet<string> = new Set()): void {
  // Read at each check: services added to the set later are known too.
  const known = { has: (name: string) => name === '' || services.has(name) };
  server.addService(HealthService, {
    check(call: grpc.ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: grpc.sendUnaryData<HealthCheckResponse>) {
      if (!known.has(call.request.service)) {
        callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
        return;
      }
      Promise.resolve()
        .then(serving)
        .then(
          (ok) => callback(null, { status: ok ? HealthServingStatus.SERVING : HealthServingStatus.NOT_SERVING }),
          () => callback(null, { status: HealthServingStatus.NOT_SERVING }),
        );
    },
  });
}
