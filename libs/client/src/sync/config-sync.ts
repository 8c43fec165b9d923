// Pushes changed documents to the own swarm and takes newer ones from it, so every device on the
// same seed converges on the newest profile and contact list (client.md 3.4).
import { fromBase64, fromHex, messageHash } from '@starling/crypto';
import { AccountState } from '../account/account-state';
import { AccountStore } from '../account/account-store';
import { CONFIG_TTL_MS, OwnSwarmRequests } from '../storage/own-swarm-requests';
import { ClientError } from '../network/errors';
import { describeBody, SwarmAccess } from '../storage/swarm-access';
import { confirmStored } from '../storage/swarm-receipts';
import { ConfigDocument, ConfigNamespace, CONTACTS_NAMESPACE, decodeConfig, encodeConfig, isNewer, PROFILE_NAMESPACE } from './config-documents';

export interface StoredMessage {
  hash: string;
  data: string;
  timestamp?: number;
  expiration?: number;
}

export class ConfigSync {
  constructor(
    private readonly store: AccountStore,
    private readonly swarm: SwarmAccess,
  ) {}

  /** Stores every unsynced document, then deletes the config messages it supersedes. */
  async pushPending(): Promise<number> {
    const state = this.store.readState();
    let pushed = 0;
    for (const namespace of [...state.unsynced] as ConfigNamespace[]) {
      await this.push(state, namespace);
      pushed++;
    }
    return pushed;
  }

  private async push(state: AccountState, namespace: ConfigNamespace): Promise<void> {
    const identity = this.store.identity();
    const requests = new OwnSwarmRequests(identity);
    const data = encodeConfig(identity.seed, namespace, documentOf(state, namespace));
    const reply = await this.swarm.request(identity.sessionId, 'store', () =>
      requests.store(namespace, this.swarm.clock.now(), CONFIG_TTL_MS, data),
    );
    const hash = messageHash(fromHex(identity.sessionId, 33), namespace, data);
    const what = `storing the ${namespace === PROFILE_NAMESPACE ? 'profile' : 'contact list'}`;
    confirmStored(reply, hash, await this.swarm.swarmOf(identity.sessionId), what);
    const superseded = (state.configHashes[namespace] ?? []).filter((h) => h !== hash);
    let kept: string[] = [];
    if (superseded.length > 0) {
      // A failed delete only leaves old copies until their TTL; newest-wins ignores them meanwhile.
      const deleted = await this.swarm.request(identity.sessionId, 'delete', () => requests.delete(superseded)).catch(() => undefined);
      if (!deleted || deleted.status !== 200) kept = superseded;
    }
    state.configHashes[namespace] = [...kept, hash];
    state.unsynced = state.unsynced.filter((ns) => ns !== namespace);
    this.store.writeState(state);
  }

  /**
   * Takes config messages retrieved from `namespace`: remembers their hashes and adopts the newest
   * document if it is newer than ours. Returns how many messages were not readable configs and
   * the hashes of documents older than the one we now hold (to delete).
   */
  absorb(state: AccountState, namespace: ConfigNamespace, messages: readonly StoredMessage[]): { rejected: number; adopted: boolean; superseded: string[] } {
    const seed = this.store.identity().seed;
    let rejected = 0;
    const read: Array<{ hash: string; doc: ConfigDocument }> = [];
    const known = new Set(state.configHashes[namespace] ?? []);
    for (const message of messages) {
      try {
        read.push({ hash: message.hash, doc: decodeConfig(seed, namespace, fromBase64(message.data)) });
        known.add(message.hash);
      } catch {
        rejected++; // bad base64, another format, or not encrypted with our seed
      }
    }
    const newest = read.reduce<ConfigDocument | undefined>((best, r) => (!best || isNewer(r.doc, best) ? r.doc : best), undefined);
    const adopted = newest !== undefined && isNewer(newest, documentOf(state, namespace));
    if (adopted) {
      if (namespace === PROFILE_NAMESPACE) state.profile = newest!;
      else state.contacts = newest as AccountState['contacts'];
      // Our unpushed edit lost to a newer one from another device: nothing left to push.
      state.unsynced = state.unsynced.filter((ns) => ns !== namespace);
    }
    state.configHashes[namespace] = [...known];
    const current = documentOf(state, namespace);
    return { rejected, adopted, superseded: read.filter((r) => isNewer(current, r.doc)).map((r) => r.hash) };
  }

  /** Deletes config messages older than ours (best effort: a failure leaves them to their TTL). */
  async deleteSuperseded(namespace: ConfigNamespace, hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    const identity = this.store.identity();
    const requests = new OwnSwarmRequests(identity);
    const reply = await this.swarm.request(identity.sessionId, 'delete', () => requests.delete(hashes)).catch(() => undefined);
    if (!reply || reply.status !== 200) return;
    this.store.updateState((state) => {
      state.configHashes[namespace] = (state.configHashes[namespace] ?? []).filter((h) => !hashes.includes(h));
    });
  }
}

/** The messages of a retrieve result body (a batch sub-result); malformed rows are skipped. */
export function storedMessages(body: unknown, what: string): { messages: StoredMessage[]; more: boolean } {
  if (typeof body !== 'object' || body === null) throw new ClientError(`${what} failed: the node answered ${describeBody(body)}`);
  const { messages, more } = body as { messages?: unknown; more?: unknown };
  const rows = Array.isArray(messages) ? (messages as Partial<StoredMessage>[]) : [];
  return { messages: rows.filter((m): m is StoredMessage => typeof m?.hash === 'string' && typeof m?.data === 'string'), more: more === true };
}

function documentOf(state: AccountState, namespace: ConfigNamespace): ConfigDocument {
  return namespace === CONTACTS_NAMESPACE ? state.contacts : state.profile;
}
