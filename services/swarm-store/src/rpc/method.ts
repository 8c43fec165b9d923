// The shapes every RPC method handler has. A local method answers by itself; a recursive method
// (store, delete*, expire*, (un)revoke_subaccount) is prepared (parsed and checked) on every member, applied to each
// member's own storage, and the members' signed results are merged by the entry node.
import type { SwarmView } from '@starling/membership';
import type { NodeIdentity } from '../identity/node-identity';
import type { NodeMetrics } from '../node-metrics';
import type { GroupCommitWriter } from '../storage/group-commit';
import type { MessageStore } from '../storage/message-store';
import type { RevocationStore } from '../storage/revocation-store';
import type { RevocationCheck } from './auth';
import type { AnswerObject } from './answer-json';
import type { JsonObject, Params } from './params';

export interface RpcResult {
  status: number;
  /** JSON object (gets `t` and `hf`) or a plain-text message. */
  body: AnswerObject | string;
}

export interface RpcContext {
  /** The time checks are made against (for a replayed forward: when the entry node received it). */
  nowMs: number;
  /** Forwarded by a swarm peer: no recursion, no swarm check, the ±70 s rule where upstream has it. */
  forwarded: boolean;
}

/** What handlers use of the node. */
export interface NodeServices {
  store: MessageStore;
  revocations: RevocationStore;
  writer: GroupCommitWriter;
  identity: NodeIdentity;
  /** The current swarm snapshot (replaced when the registry publishes a new map). */
  swarm(): SwarmView;
  isRevoked: RevocationCheck;
  metrics: NodeMetrics;
}

export interface LocalMethod {
  readonly kind: 'local';
  readonly name: string;
  handle(params: Params, ctx: RpcContext): Promise<RpcResult>;
}

/** One member's result under `swarm[ed25519]`. */
export type MemberResult = JsonObject;

export interface RecursiveMethod<P = unknown> {
  readonly kind: 'recursive';
  readonly name: string;
  /** Parses and checks the request in the order the protocol states (421, 4xx, auth). */
  prepare(params: Params, ctx: RpcContext): Promise<P>;
  /** Applies the request to this node's storage and signs the outcome. */
  apply(prepared: P, ctx: RpcContext): Promise<MemberResult>;
  /** Status and extra top-level fields once every member answered (default: 200 if one succeeded). */
  finish?(prepared: P, swarm: Record<string, MemberResult>): RpcResult | undefined;
}

export type RpcMethod = LocalMethod | RecursiveMethod<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
