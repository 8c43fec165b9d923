// Whether this replica leads, and what follows from it: the duties run while it holds the lock.
// Leading starts once the ports are bound; on shutdown the lock is released first (its
// connection closes, so a follower takes over at its next attempt), then the duties stop, then
// the channels of the reachability tests close (in this order, so no test runs on a closed one).
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@starling/platform';
import { RegistryMetrics } from '../metrics';
import { NODE_PINGER, type NodePinger } from '../reachability/node-pinger';
import { LeaderDuties } from './leader-duties';
import { LEADERSHIP, type Leadership } from './leadership';

@Injectable()
export class LeaderRole implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(LEADERSHIP) private readonly leadership: Leadership,
    private readonly duties: LeaderDuties,
    @Inject(NODE_PINGER) private readonly pinger: NodePinger,
    private readonly metrics: RegistryMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  onApplicationBootstrap(): Promise<void> {
    return this.leadership.start((leader) => {
      this.metrics.leader.set(leader ? 1 : 0);
      this.logger.info({ leader }, leader ? 'became leader' : 'no longer leader');
      if (leader) this.duties.start();
      else void this.duties.stop();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.leadership.stop();
    await this.duties.stop();
    this.pinger.close();
  }
}
