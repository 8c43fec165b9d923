import { SwarmView, type SwarmMember } from '@starling/membership';
import { randomBytes } from 'crypto';
import type { NodeIdentity } from '../../src/identity/node-identity';
import { TestAccount } from './accounts';

export const OTHER_SWARM = 1n << 63n;

export function member(ed25519: string, swarmId: bigint, port = 30000): SwarmMember {
  return { ed25519, x25519: randomBytes(32).toString('hex'), grpcAddress: `127.0.0.1:${port}`, publicIp: '127.0.0.1', publicPort: port, swarmId };
}

/** This node alone in swarm 0, plus a second swarm (id 2^63) with two other nodes. */
export function twoSwarms(identity: NodeIdentity): SwarmView {
  return new SwarmView(identity.ed25519Hex, [
    member(identity.ed25519Hex, 0n, 20000),
    member(randomBytes(32).toString('hex'), OTHER_SWARM, 20001),
    member(randomBytes(32).toString('hex'), OTHER_SWARM, 20002),
  ]);
}

/** An account that the view places in (or out of) this node's swarm. */
export function accountWhere(view: SwarmView, mine: boolean): TestAccount {
  for (;;) {
    const a = new TestAccount();
    if (view.isMine(Buffer.from(a.sessionId, 'hex')) === mine) return a;
  }
}
