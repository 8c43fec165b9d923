// The relay's identity: a seed from configuration (one Secret shared by every pod of a relay
// group, since clients encrypt to one key per public address) or a key file made at first start.
import type { Provider } from '@nestjs/common';
import { identityFromSeed, loadOrCreateSeedFile, ready, seedFromConfig } from '@starling/crypto';
import { NODE_KEYS, type NodeKeys } from '@starling/service-node';
import { join } from 'path';
import type { RelayConfig } from '../config';

export function relayKeys(config: RelayConfig): Provider {
  return {
    provide: NODE_KEYS,
    useFactory: async (): Promise<NodeKeys> => {
      await ready();
      const seed = config.keyHex ? seedFromConfig(config.keyHex, 'ENTRY_RELAY_KEY') : loadOrCreateSeedFile(join(config.dataDir, 'relay.key'));
      return identityFromSeed(seed);
    },
  };
}
