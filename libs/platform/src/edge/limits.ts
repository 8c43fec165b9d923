// The edge's bounds against slow and numerous clients, from a service's settings (edgeConfig).
import type { EdgeOptions } from './edge';

export interface EdgeLimitSettings {
  headersTimeout: number;
  requestTimeout: number;
  minTransferRate: number;
  keepAliveTimeout: number;
  maxConnections?: number;
}

export function edgeLimits(settings: EdgeLimitSettings): Pick<EdgeOptions, 'timeouts' | 'bodyPace' | 'answerPace' | 'maxConnections'> {
  return {
    timeouts: { headersMs: settings.headersTimeout, requestMs: settings.requestTimeout, keepAliveMs: settings.keepAliveTimeout },
    bodyPace: { minBytesPerSecond: settings.minTransferRate },
    answerPace: { minBytesPerSecond: settings.minTransferRate },
    ...(settings.maxConnections === undefined ? {} : { maxConnections: settings.maxConnections }),
  };
}
