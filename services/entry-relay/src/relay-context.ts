import { Logger } from '@starling/platform';
import { NetworkMembership } from '@starling/membership';
import { AdmissionControl } from './admission/admission';
import { OnionRouter } from './onion/onion-router';
import { RelayMetrics } from './relay-metrics';
import { GuardRpc } from './guard/guard-rpc';

/** Everything the HTTP controllers and the gRPC service share. */
export interface RelayContext {
  router: OnionRouter;
  admission: AdmissionControl;
  metrics: RelayMetrics;
  membership: NetworkMembership;
  guardRpc: GuardRpc;
  pubkeyEd25519: string;
  logger: Logger;
}

export const RELAY_CONTEXT = Symbol('RelayContext');
