// The providers a configuration offers, by service name.
import type { PushConfig } from '../config';
import { ApnsProvider } from './apns';
import { FcmProvider } from './fcm';
import type { PushProvider } from './provider';
import { UnifiedPushProvider } from './unifiedpush';

export function createProviders(config: Pick<PushConfig, 'unifiedPush' | 'fcm' | 'apns' | 'delivery'>): Map<string, PushProvider> {
  const timeoutMs = config.delivery.timeoutMs;
  const providers: PushProvider[] = [];
  if (config.unifiedPush) providers.push(new UnifiedPushProvider({ allowPrivateAddresses: config.unifiedPush.allowPrivateAddresses, timeoutMs }));
  if (config.fcm) providers.push(new FcmProvider({ account: config.fcm.account, endpoint: config.fcm.endpoint, timeoutMs }));
  if (config.apns) providers.push(new ApnsProvider({ ...config.apns, timeoutMs }));
  return new Map(providers.map((p) => [p.service, p]));
}
