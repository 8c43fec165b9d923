// The push server's identity: an Ed25519 seed from configuration (a Kubernetes Secret shared by
// every replica: clients encrypt to one key) or a key file made at first start. Its X25519 key,
// derived from the Ed25519 one, is what onion requests are encrypted to.
import type { Provider } from '@nestjs/common';
import { identityFromSeed, loadOrCreateSeedFile, ready, seedFromConfig, type Identity } from '@starling/crypto';
import * as path from 'path';
import { PUSH_SETTINGS, type PushConfig } from '../config';
import { PUSH_KEYS } from '../tokens';

export const PUSH_KEY_FILE = 'push.key';

export function loadPushKeys(config: Pick<PushConfig, 'dataDir' | 'keyHex'>): Identity {
  const seed = config.keyHex ? seedFromConfig(config.keyHex, 'PUSH_KEY') : loadOrCreateSeedFile(path.join(config.dataDir, PUSH_KEY_FILE));
  return identityFromSeed(seed);
}

export const pushKeysProvider: Provider = {
  provide: PUSH_KEYS,
  inject: [PUSH_SETTINGS],
  useFactory: async (config: PushConfig): Promise<Identity> => {
    await ready();
    return loadPushKeys(config);
  },
};
