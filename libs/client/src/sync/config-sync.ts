// Keeps the account's configs in step with the own swarm as the Session apps do (client.md 3.4):
// a changed config is stored (TTL 30 days) and, once stored, the messages it makes obsolete are
// deleted; retrieved config messages are merged with libsession's conflict resolution, and a merge
// that resolved a conflict is pushed like any change, so every device converges on one message.
import { fromBase64, messageHash, fromHex } from '@starling/crypto';
import { AccountState } from '../account/account-state';
import { AccountStore } from '../account/account-store';
import { AccountConfigs } from '../config/account-configs';
import { cloneDict, dictsEqual } from '../config/config-data';
import { PushData } from '../config/config-object';
import { CONVO_INFO_VOLATILE } from '../config/convo-info-volatile';
import { loadZstd } from '../config/zstd';
import { CONFIG_TTL_MS, OwnSwarmRequests } from '../storage/own-swarm-requests';
import { ClientError } from '../network/errors';
import { describeBody, SwarmAccess } from '../storage/swarm-access';
import { confirmStored } from '../storage/swarm-receipts';

export { ACCOUNT_CONFIG_NAMESPACES as CONFIG_NAMESPACES } from '../config/account-configs';

export interface StoredMessage {
  hash: string;
  data: string;
  timestamp?: number;
  expiration?: number;
}

export interface AbsorbResult {
  /** Messages that were not readable configs of this account. */
  rejected: number;
  /** The config's data changed. */
  adopted: boolean;
}

export class ConfigSync {
  constructor(
    private readonly store: AccountStore,
    private readonly swarm: SwarmAccess,
  ) {}

  /** The configs of `state` with the account key, ready to push and merge. */
  open(state: AccountState): AccountConfigs {
    return new AccountConfigs(state.configs, this.store.identity().seed, () => this.swarm.clock.now());
  }

  /**
   * Stores every config that changed (or resolved a conflict) and deletes the messages that are
   * now obsolete. Returns how many configs were stored.
   */
  async pushPending(): Promise<number> {
    await loadZstd();
    let stored = 0;
    for (const namespace of this.namespacesWithWork()) {
      const state = this.store.readState();
      const configs = this.open(state);
      const config = configs.config(namespace);
      const push = namespace === CONVO_INFO_VOLATILE.namespace ? configs.convos.push() : config.push();
      if (config.needsPush()) {
        try {
          config.confirmPushed(push.seqno, await this.storeConfig(namespace, push));
        } catch (err) {
          config.addObsolete(push.obsolete); // still to delete once a push gets through
          this.save(state, configs);
          throw err;
        }
        stored++;
      }
      this.save(state, configs);
      await this.deleteObsolete(namespace, push.obsolete);
    }
    return stored;
  }

  /** Merges messages retrieved from a config namespace into `state` (not saved here). */
  absorb(state: AccountState, namespace: number, messages: readonly StoredMessage[]): AbsorbResult {
    if (messages.length === 0) return { rejected: 0, adopted: false };
    const configs = this.open(state);
    const config = configs.config(namespace);
    const before = cloneDict(config.data);
    const readable = messages.flatMap((m) => {
      try {
        return [{ hash: m.hash, data: fromBase64(m.data) }];
      } catch {
        return []; // not base64: not a config
      }
    });
    const accepted = config.merge(readable);
    const adopted = !dictsEqual(before, config.data);
    configs.saveInto(state.configs);
    return { rejected: messages.length - accepted.length, adopted };
  }

  /** Hashes of the stored messages the configs currently are (kept alive by each poll). */
  currentHashes(state: AccountState): string[] {
    return this.open(state).all().flatMap((c) => c.currentHashes());
  }

  private namespacesWithWork(): number[] {
    const configs = this.open(this.store.readState());
    return configs.all().filter((c) => c.needsPush() || c.hasObsolete()).map((c) => c.kind.namespace);
  }

  private async storeConfig(namespace: number, push: PushData): Promise<string> {
    const identity = this.store.identity();
    const requests = new OwnSwarmRequests(identity);
    const reply = await this.swarm.request(identity.sessionId, 'store', () => requests.store(namespace, this.swarm.clock.now(), CONFIG_TTL_MS, push.data));
    const hash = messageHash(fromHex(identity.sessionId, 33), namespace, push.data);
    confirmStored(reply, hash, await this.swarm.swarmOf(identity.sessionId), `storing config namespace ${namespace}`);
    return hash;
  }

  /** Best effort: what fails to delete is kept and tried again with the next push. */
  private async deleteObsolete(namespace: number, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    const identity = this.store.identity();
    const requests = new OwnSwarmRequests(identity);
    const reply = await this.swarm.request(identity.sessionId, 'delete', () => requests.delete(hashes)).catch((err) => {
      if (!(err instanceof ClientError)) throw err;
      return undefined;
    });
    if (reply?.status === 200) return;
    const state = this.store.readState();
    const configs = this.open(state);
    configs.config(namespace).addObsolete(hashes);
    this.save(state, configs);
  }

  private save(state: AccountState, configs: AccountConfigs): void {
    if (configs.saveInto(state.configs)) this.store.writeState(state);
  }
}

/** The messages of a retrieve result body (a batch sub-result); malformed rows are skipped. */
export function storedMessages(body: unknown, what: string): { messages: StoredMessage[]; more: boolean } {
  if (typeof body !== 'object' || body === null) throw new ClientError(`${what} failed: the node answered ${describeBody(body)}`);
  const { messages, more } = body as { messages?: unknown; more?: unknown };
  const rows = Array.isArray(messages) ? (messages as Partial<StoredMessage>[]) : [];
  return { messages: rows.filter((m): m is StoredMessage => typeof m?.hash === 'string' && typeof m?.data === 'string'), more: more === true };
}
