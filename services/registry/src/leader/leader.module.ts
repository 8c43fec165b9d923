// One replica at a time leads: it forms swarms, publishes maps (signed with the registry key)
// and tests reachability. Leadership is a PostgreSQL advisory lock, or sole on PGlite.
import { Module } from '@nestjs/common';
import { LOGGER, type Logger } from '@starling/platform';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { IdentityModule } from '../identity/identity.module';
import { MapModule } from '../map/map.module';
import { ReachabilityModule } from '../reachability/reachability.module';
import { LeaderDuties } from './leader-duties';
import { LeaderRole } from './leader-role';
import { AdvisoryLockLeadership, LEADERSHIP, SoleLeadership, type Leadership } from './leadership';

function leadership(config: RegistryConfig, logger: Logger): Leadership {
  if (!config.databaseUrl) return new SoleLeadership();
  return new AdvisoryLockLeadership({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    pollIntervalMs: config.leaderPollIntervalMs,
    onError: (err) => logger.warn({ err }, 'leader lock connection failed'),
  });
}

@Module({
  imports: [IdentityModule, MapModule, ReachabilityModule],
  providers: [{ provide: LEADERSHIP, inject: [REGISTRY_CONFIG, LOGGER], useFactory: leadership }, LeaderDuties, LeaderRole],
  exports: [LeaderDuties, LeaderRole],
})
export class LeaderModule {}
