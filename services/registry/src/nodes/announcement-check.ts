// Checks a node's announcement and heartbeats before anything is written: shape of every field,
// the store node's X25519 key (must be the conversion of its Ed25519 key, as clients derive it),
// the clock window, and the Ed25519 signature over the canonical bytes shared with the nodes.
import { ed25519PublicKeyToX25519, fromHex, toHex, verifyEd25519 } from '@starling/crypto';
import { announcementSigningBytes, common, heartbeatSigningBytes, registry } from '@starling/proto';

export const REJECTION_KINDS = ['invalid', 'unauthenticated', 'clock'] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

/** Why a request was refused; the gRPC layer maps `kind` to a status code. */
export class AnnouncementRejected extends Error {
  constructor(
    readonly kind: RejectionKind,
    message: string,
  ) {
    super(message);
    this.name = 'AnnouncementRejected';
  }
}

export interface AnnouncedNode {
  role: common.NodeRole.NODE_ROLE_STORE | common.NodeRole.NODE_ROLE_RELAY;
  pubkeyEd25519: string;
  pubkeyX25519: string;
  grpcAddress: string;
  publicIp: string;
  publicPort: number;
  version: string;
  signedMs: number;
}

const KEY_HEX = /^[0-9a-f]{64}$/;
// host:port, where host is a DNS name, IPv4 or bracketed IPv6; no spaces or schemes.
const GRPC_ADDRESS = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/;
const PUBLIC_HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9a-fA-F:.]+\])$/;
const VERSION = /^[0-9A-Za-z.+-]{1,64}$/;

function reject(kind: RejectionKind, message: string): never {
  throw new AnnouncementRejected(kind, message);
}

function checkKey(value: string, what: string): string {
  if (!KEY_HEX.test(value)) reject('invalid', `${what} must be 64 lower-case hex characters`);
  return value;
}

function checkTimestamp(raw: string, nowMs: number, windowMs: number): number {
  const ts = Number(raw);
  if (!Number.isSafeInteger(ts) || ts <= 0) reject('invalid', 'timestamp_ms is missing');
  if (Math.abs(ts - nowMs) > windowMs) {
    reject('clock', `timestamp_ms is ${ts - nowMs} ms away from the registry clock (window ±${windowMs} ms)`);
  }
  return ts;
}

function checkSignature(signature: Uint8Array, message: Uint8Array, pubkeyHex: string): void {
  if (signature.length !== 64) reject('unauthenticated', 'signature must be 64 bytes');
  if (!verifyEd25519(signature, message, fromHex(pubkeyHex, 32))) {
    reject('unauthenticated', 'signature does not verify with pubkey_ed25519');
  }
}

export function checkAnnouncement(req: registry.AnnounceRequest, nowMs: number, windowMs: number): AnnouncedNode {
  const node = req.node;
  if (!node) reject('invalid', 'node is missing');
  if (node.role !== common.NodeRole.NODE_ROLE_STORE && node.role !== common.NodeRole.NODE_ROLE_RELAY) {
    reject('invalid', 'role must be NODE_ROLE_STORE or NODE_ROLE_RELAY');
  }
  const ed = checkKey(node.pubkeyEd25519, 'pubkey_ed25519');
  const x = checkKey(node.pubkeyX25519, 'pubkey_x25519');
  if (node.role === common.NodeRole.NODE_ROLE_STORE) {
    let derived: string;
    try {
      derived = toHex(ed25519PublicKeyToX25519(fromHex(ed, 32)));
    } catch {
      reject('invalid', 'pubkey_ed25519 is not a valid Ed25519 point');
    }
    if (derived !== x) reject('invalid', 'pubkey_x25519 must be the X25519 conversion of pubkey_ed25519');
  }
  const grpcPort = GRPC_ADDRESS.exec(node.grpcAddress)?.[1];
  if (grpcPort === undefined || Number(grpcPort) < 1 || Number(grpcPort) > 65535) {
    reject('invalid', 'grpc_address must be host:port');
  }
  if (node.publicIp === '') {
    if (node.publicPort !== 0) reject('invalid', 'public_port given without public_ip');
  } else {
    if (!PUBLIC_HOST.test(node.publicIp)) reject('invalid', 'public_ip must be an IP address or host name');
    if (!Number.isInteger(node.publicPort) || node.publicPort < 1 || node.publicPort > 65535) {
      reject('invalid', 'public_port must be in 1..65535 when public_ip is given');
    }
  }
  if (!VERSION.test(node.version)) reject('invalid', 'version must be 1-64 characters of [0-9A-Za-z.+-]');
  const signedMs = checkTimestamp(req.timestampMs, nowMs, windowMs);
  checkSignature(req.signature, announcementSigningBytes(node, req.timestampMs), ed);
  return {
    role: node.role,
    pubkeyEd25519: ed,
    pubkeyX25519: x,
    grpcAddress: node.grpcAddress,
    publicIp: node.publicIp,
    publicPort: node.publicPort,
    version: node.version,
    signedMs,
  };
}

export interface CheckedHeartbeat {
  pubkeyEd25519: string;
  signedMs: number;
}

export function checkHeartbeat(req: registry.HeartbeatRequest, nowMs: number, windowMs: number): CheckedHeartbeat {
  const ed = checkKey(req.pubkeyEd25519, 'pubkey_ed25519');
  const signedMs = checkTimestamp(req.timestampMs, nowMs, windowMs);
  checkSignature(req.signature, heartbeatSigningBytes(ed, req.timestampMs), ed);
  return { pubkeyEd25519: ed, signedMs };
}
