// The node's place in the network map. Until the first map arrives a node that follows a registry
// is in no swarm (503 "not ready"); a node without a registry forms swarm 0 alone once its
// ports are known (see SwarmFollower).
import { Module } from '@nestjs/common';
import { SwarmView } from '@starling/membership';
import { NodeIdentity } from '../identity/node-identity';
import { SwarmViews } from './swarm-views';

@Module({
  providers: [
    {
      provide: SwarmViews,
      inject: [NodeIdentity],
      useFactory: (identity: NodeIdentity) => new SwarmViews(new SwarmView(identity.ed25519Hex, [])),
    },
  ],
  exports: [SwarmViews],
})
export class SwarmModule {}
