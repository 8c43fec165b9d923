// The storage calls for one group's swarm: pushing its configs (keys first, so nobody reads an
// Info or Members message before the key it is encrypted with), storing messages, revoking
// tokens, deleting superseded configs. Every store is believed only when a swarm member signs it.
import { fromHex, messageHash } from '@starling/crypto';
import { ClientError } from '../network/errors';
import type { SnodeReply } from '../network/onion-client';
import { CONFIG_TTL_MS, MESSAGE_TTL_MS } from '../storage/own-swarm-requests';
import { describeBody, requireOk, SwarmAccess } from '../storage/swarm-access';
import { confirmStored } from '../storage/swarm-receipts';
import { GROUP_INFO } from './group-info';
import { GROUP_MEMBERS } from './group-members';
import type { OpenGroup } from './open-group';

export const GROUP_MESSAGES_NAMESPACE = 11;
export const GROUP_KEYS_NAMESPACE = 12;

export interface StoreRequest {
  namespace: number;
  data: Uint8Array;
  ttlMs: number;
}

export interface PushedConfigs {
  /** Requests sent (keys, info, members) and their bytes. */
  stored: number;
  bytes: number;
}

export class GroupSwarm {
  constructor(private readonly swarm: SwarmAccess) {}

  /**
   * Stores `stores` in order with one `sequence` (a failure stops the rest) and returns each
   * message's hash, confirmed by a swarm member's signature.
   */
  async storeInOrder(group: OpenGroup, stores: readonly StoreRequest[], what: string): Promise<string[]> {
    if (stores.length === 0) return [];
    const reply = await this.swarm.request(group.id, 'sequence', () => {
      const now = this.swarm.clock.now();
      return { requests: stores.map((s) => ({ method: 'store', params: group.requests.store(s.namespace, now, s.ttlMs, s.data) })) };
    });
    const results = sequenceResults(reply, what);
    const members = await this.swarm.swarmOf(group.id);
    return stores.map((s, i) => {
      const result = results[i];
      if (!result) throw new ClientError(`${what} failed: the swarm stopped before storing namespace ${s.namespace}`);
      if (result.code !== 200) throw new ClientError(`${what} failed: ${result.code} ${describeBody(result.body)}`, result.code === 401 ? 'refused' : 'network');
      const hash = messageHash(fromHex(group.id, 33), s.namespace, s.data);
      confirmStored({ status: result.code, body: result.body }, hash, members, what);
      return hash;
    });
  }

  /**
   * Admins: stores a pending key message, then Info and Members if they changed, and deletes
   * what they made obsolete. The key message is read back as if polled, so the next rekey
   * counts from it.
   */
  async pushConfigs(group: OpenGroup): Promise<PushedConfigs> {
    const { configs } = group;
    if (!configs.admin) return { stored: 0, bytes: 0 };
    const keys = configs.keys.pendingConfig();
    const info = configs.info.config.needsPush() ? configs.info.config.push() : undefined;
    const members = configs.members.config.needsPush() ? configs.members.config.push() : undefined;
    const stores: StoreRequest[] = [];
    if (keys) stores.push({ namespace: 12, data: keys, ttlMs: CONFIG_TTL_MS });
    if (info) stores.push({ namespace: GROUP_INFO.namespace, data: info.data, ttlMs: CONFIG_TTL_MS });
    if (members) stores.push({ namespace: GROUP_MEMBERS.namespace, data: members.data, ttlMs: CONFIG_TTL_MS });
    let hashes: string[];
    try {
      hashes = await this.storeInOrder(group, stores, 'storing the group configs');
    } catch (err) {
      // Still to push (and to delete) the next time.
      if (info) configs.info.config.addObsolete(info.obsolete);
      if (members) configs.members.config.addObsolete(members.obsolete);
      throw err;
    }
    let i = 0;
    if (keys) configs.loadKeyMessage(hashes[i++], keys, this.swarm.clock.now());
    if (info) configs.info.config.confirmPushed(info.seqno, hashes[i++]);
    if (members) configs.members.config.confirmPushed(members.seqno, hashes[i++]);
    await this.deleteBestEffort(group, [...(info?.obsolete ?? []), ...(members?.obsolete ?? [])]);
    return { stored: stores.length, bytes: stores.reduce((n, s) => n + s.data.length, 0) };
  }

  /** One message into namespace 11 (or another); returns its hash. */
  async storeMessage(group: OpenGroup, data: Uint8Array, ttlMs = MESSAGE_TTL_MS, namespace = GROUP_MESSAGES_NAMESPACE): Promise<string> {
    const [hash] = await this.storeInOrder(group, [{ namespace, data, ttlMs }], 'sending to the group');
    return hash;
  }

  /** Admins: the swarm refuses these subaccount tokens from now on (or again accepts them). */
  async changeTokens(group: OpenGroup, change: 'revoke' | 'unrevoke', tokens: readonly Uint8Array[]): Promise<void> {
    if (tokens.length === 0) return;
    const method = `${change}_subaccount`;
    const reply = await this.swarm.request(group.id, method, () => group.requests[change](tokens, this.swarm.clock.now()));
    requireOk(reply, `${change === 'revoke' ? 'revoking' : 'restoring'} member access`);
  }

  /** Deleting is tidying: a failure leaves the old messages to expire. */
  private async deleteBestEffort(group: OpenGroup, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    await this.swarm.request(group.id, 'delete', () => group.requests.delete(hashes)).catch((err) => {
      if (!(err instanceof ClientError)) throw err;
    });
  }
}

interface SubResult {
  code: number;
  body: unknown;
}

/** The results of a sequence: as many as ran (it stops at the first failure). */
function sequenceResults(reply: SnodeReply, what: string): SubResult[] {
  const results = requireOk(reply, what).results;
  if (!Array.isArray(results)) throw new ClientError(`${what} failed: the node answered a malformed sequence`);
  return results.map((r) => ({ code: Number((r as SubResult)?.code), body: (r as SubResult)?.body }));
}
