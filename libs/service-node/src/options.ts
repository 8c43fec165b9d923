// What a service tells ServiceNodeModule about the node it runs.
import type { common } from '@starling/proto';
import type { AdmissionOptions } from './admission/admission';

export const SERVICE_NODE_OPTIONS = Symbol('ServiceNodeOptions');
export const NODE_KEYS = Symbol('NodeKeys');

/** The node's identity: Ed25519 (its name in the map, signatures) and X25519 (onion layers). */
export interface NodeKeys {
  ed25519: { publicKey: Uint8Array; secretKey: Uint8Array };
  x25519: { publicKey: Uint8Array; secretKey: Uint8Array };
}

export interface ServiceNodeOptions {
  role: common.NodeRole;
  version: string;
  /** Absent: the node is in no network (one storage node alone, for development). */
  registry?: {
    /** host:port of the registry's gRPC server. */
    address: string;
    /** Hex Ed25519 key of the registry; pins the map signer (else the first signer is pinned). */
    pubkey?: string;
  };
  grpc: {
    host: string;
    port: number;
    /** host:port other nodes reach this gRPC server at (default: as bound). */
    advertise?: string;
  };
  /** Where clients reach this node, as published in the map (default: the edge's host and port). */
  publicHost?: string;
  publicPort?: number;
  admission: AdmissionOptions;
  /** Deadline for the next hop of a path to answer. */
  hopTimeoutMs: number;
  proxy: {
    /** Comma-separated host:port list of HTTP servers this node may proxy to; "*" allows any. */
    allow: string;
    timeoutMs: number;
    maxResponseBytes: number;
  };
  /** The largest onion request a client may POST (as upstream: 10 MiB). */
  maxOnionBytes: number;
}
