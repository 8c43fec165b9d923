// One poll of the own swarm (client.md 3.3): a batch of retrieves for the config namespaces and
// the inbox, continuing after the last hash this device saw on that node. Configs are taken first
// (so a block made on another device applies to this very poll), then every new message is
// opened and verified; blocked senders and anything unreadable are dropped. Delete-after-read
// messages are shortened in the swarm once shown.
import { randomInt } from 'crypto';
import { AccountState, DisappearingSetting } from '../account/account-state';
import { AccountStore } from '../account/account-store';
import { AttachmentPointerFields } from '../messaging/session-protos';
import { decodeMessage, IncomingMessage, MessageRejected } from '../messaging/wire';
import { CONFIG_TTL_MS, OwnSwarmRequests } from '../storage/own-swarm-requests';
import { retrieveMaxSizes } from '../storage/retrieve-sizes';
import { batchResults, describeBody, SwarmAccess } from '../storage/swarm-access';
import { confirmExpired } from '../storage/swarm-receipts';
import { ClientError } from '../network/errors';
import { changeConfigs, contactOf, isBlocked } from '../sync/config-changes';
import { CONFIG_NAMESPACES, ConfigSync, StoredMessage, storedMessages } from '../sync/config-sync';
import { settingOf } from './disappearing';
import type { CallSignal } from '../calls/call-signals';
import { GroupInvitation, takeGroupInvitation } from '../groups/invitations';
import { GroupStore } from '../groups/group-store';

const INBOX_NAMESPACE = 0;
/** Configs first (UserProfile, Contacts, UserGroups, ConvoInfoVolatile), then messages (client.md 3.3). */
const POLLED_NAMESPACES = [...CONFIG_NAMESPACES, INBOX_NAMESPACE];
/** A full page means more is waiting; poll again at once, up to this many rounds. */
const MAX_ROUNDS = 10;

export interface InboxEntry {
  hash: string;
  /** 'in': someone wrote to us; 'out': a sync copy of what we (on any device) sent. */
  direction: 'in' | 'out';
  /** The sender for 'in', the recipient for 'out'. */
  peer: string;
  peerName?: string;
  sentAtMs: number;
  text: string;
  /** Pointers to files on a file server, as received (attachments/ checks and fetches them). */
  attachments?: AttachmentPointerFields[];
  disappearing?: DisappearingSetting;
  /** When the swarm drops the message (ms), as retrieved or as shortened after reading. */
  expiresAtMs?: number;
}

export interface PollResult {
  entries: InboxEntry[];
  /** Messages that failed to open or verify (not for us, tampered, replayed). */
  rejected: number;
  /** Messages from blocked senders, dropped unread. */
  blocked: number;
  /** Config namespaces whose data changed through messages from other devices. */
  adopted: number[];
  /** Delete-after-read messages whose swarm expiry could not be shortened. */
  expireFailures: number;
  /** Call signalling (client.md 6), oldest first; blocked callers already dropped. */
  calls: CallSignal[];
  /** Group invitations and promotions received (groups/invitations.ts). */
  groupInvitations: GroupInvitation[];
}

export class Inbox {
  private readonly configs: ConfigSync;

  constructor(
    private readonly store: AccountStore,
    private readonly swarm: SwarmAccess,
  ) {
    this.configs = new ConfigSync(store, swarm);
  }

  async poll(): Promise<PollResult> {
    await this.configs.pushPending().catch((err) => {
      if (!(err instanceof ClientError)) throw err; // stays pending for the next command
    });
    const identity = this.store.identity();
    const requests = new OwnSwarmRequests(identity);
    const members = await this.swarm.swarmOf(identity.sessionId);
    const node = members[randomInt(members.length)];
    const result: PollResult = { entries: [], rejected: 0, blocked: 0, adopted: [], expireFailures: 0, calls: [], groupInvitations: [] };
    const sizes = retrieveMaxSizes(POLLED_NAMESPACES);

    for (let round = 0; round < MAX_ROUNDS; round++) {
      const state = this.store.readState();
      const poll = this.store.readPollState();
      const key = (ns: number) => `${node.ed25519}:${ns}`;
      const configHashes = this.configs.currentHashes(state);
      const reply = await this.swarm.request(
        identity.sessionId,
        'batch',
        () => {
          const now = this.swarm.clock.now();
          const subrequests = POLLED_NAMESPACES.map((ns, i) => ({
            method: 'retrieve',
            params: requests.retrieve(ns, now, poll.lastHashes[key(ns)], sizes[i]),
          }));
          // Keep the current configs alive while a device is online (client.md 3.2).
          if (configHashes.length > 0) subrequests.push({ method: 'expire', params: requests.expire('', now + CONFIG_TTL_MS, configHashes) });
          return { requests: subrequests };
        },
        node,
      );
      const results = batchResults(reply, POLLED_NAMESPACES.length + (configHashes.length > 0 ? 1 : 0), 'polling your swarm');
      let more = false;
      const pages = POLLED_NAMESPACES.map((ns, i) => {
        if (results[i].code !== 200) throw new ClientError(`polling namespace ${ns} failed: ${results[i].code} ${describeBody(results[i].body)}`);
        const page = storedMessages(results[i].body, `polling namespace ${ns}`);
        more ||= page.more;
        if (page.messages.length > 0) poll.lastHashes[key(ns)] = page.messages[page.messages.length - 1].hash;
        return page.messages;
      });
      for (const [i, ns] of CONFIG_NAMESPACES.entries()) {
        if (this.configs.absorb(state, ns, pages[i]).adopted && !result.adopted.includes(ns)) result.adopted.push(ns);
      }
      const shownBefore = result.entries.length;
      this.readMessages(state, poll.seen, pages[POLLED_NAMESPACES.indexOf(INBOX_NAMESPACE)], result);
      markRead(state, result.entries.slice(shownBefore));
      this.store.writeState(state);
      this.store.writePollState(poll);
      if (!more) break;
    }
    // Merges that resolved a conflict are stored, and what they made obsolete is deleted.
    await this.configs.pushPending().catch((err) => {
      if (!(err instanceof ClientError)) throw err; // stays pending for the next command
    });
    result.expireFailures = await this.shortenReadMessages(requests, result.entries);
    return result;
  }

  private readMessages(state: AccountState, seen: string[], messages: StoredMessage[], result: PollResult): void {
    const identity = this.store.identity();
    const seenSet = new Set(seen);
    for (const stored of messages) {
      if (seenSet.has(stored.hash)) continue;
      seenSet.add(stored.hash);
      seen.push(stored.hash);
      let message: IncomingMessage;
      try {
        message = decodeMessage(identity.x25519, Buffer.from(stored.data, 'base64'));
      } catch (err) {
        if (!(err instanceof MessageRejected)) throw err;
        result.rejected++;
        continue;
      }
      const call = message.content.callMessage;
      if (call) {
        const fromSelf = message.senderSessionId === identity.sessionId;
        // A blocked caller cannot ring: dropped like any message of theirs.
        if (!fromSelf && isBlocked(state, message.senderSessionId)) result.blocked++;
        else result.calls.push({ hash: stored.hash, direction: fromSelf ? 'out' : 'in', peer: message.senderSessionId, sentAtMs: message.sentAtMs, call });
        continue;
      }
      const data = message.content.dataMessage;
      const fromSelf = message.senderSessionId === identity.sessionId;
      if (data?.groupUpdateMessage && !fromSelf) {
        this.takeGroupUpdate(state, message, result);
        continue;
      }
      if (!data?.body && !data?.attachments?.length) continue; // receipts, typing: nothing to show here
      if (fromSelf && data.syncTarget) {
        result.entries.push(this.entry(stored, 'out', data.syncTarget, message, state));
        continue;
      }
      if (isBlocked(state, message.senderSessionId)) {
        result.blocked++;
        continue;
      }
      // A contact's name is what they last called themselves (the apps keep it in the config too).
      const displayName = data.profile?.displayName;
      if (displayName && contactOf(state, message.senderSessionId)) {
        changeConfigs(state, (c) => {
          const known = c.contacts.get(message.senderSessionId);
          if (known && known.name !== displayName) c.contacts.update(message.senderSessionId, (info) => (info.name = displayName));
        });
      }
      result.entries.push({ ...this.entry(stored, 'in', message.senderSessionId, message, state), peerName: data.profile?.displayName });
    }
  }

  /** An invitation or promotion to a group (other group updates only travel in group swarms). */
  private takeGroupUpdate(state: AccountState, message: IncomingMessage, result: PollResult): void {
    if (isBlocked(state, message.senderSessionId)) {
      result.blocked++;
      return;
    }
    const taken = takeGroupInvitation(state, this.store.identity(), message.content.dataMessage!.groupUpdateMessage!, message.senderSessionId, message.sentAtMs);
    if (!taken) {
      result.rejected++;
      return;
    }
    // Joined at once (the inviter is an approved contact): the admins hear so after the first group poll.
    if (taken.kind === 'invite' && !taken.pending) new GroupStore(this.store.home).update(taken.groupId, (g) => (g.responsePending = true));
    result.groupInvitations.push({ ...taken, fromName: message.content.dataMessage?.profile?.displayName ?? contactOf(state, message.senderSessionId)?.name });
  }

  private entry(stored: StoredMessage, direction: 'in' | 'out', peer: string, message: IncomingMessage, state: AccountState): InboxEntry {
    const disappearing = settingOf(message.content.expirationType, message.content.expirationTimer);
    return {
      hash: stored.hash,
      direction,
      peer,
      peerName: contactOf(state, peer)?.name,
      sentAtMs: message.sentAtMs,
      text: message.content.dataMessage?.body ?? '',
      attachments: message.content.dataMessage?.attachments?.length ? message.content.dataMessage.attachments : undefined,
      disappearing,
      expiresAtMs: typeof stored.expiration === 'number' ? stored.expiration : undefined,
    };
  }

  /** Delete-after-read: the timer starts now that the message was shown (client.md 4). */
  private async shortenReadMessages(requests: OwnSwarmRequests, entries: InboxEntry[]): Promise<number> {
    const byTimer = new Map<number, InboxEntry[]>();
    for (const e of entries) {
      if (e.direction !== 'in' || e.disappearing?.mode !== 'after-read') continue;
      byTimer.set(e.disappearing.timerSeconds, [...(byTimer.get(e.disappearing.timerSeconds) ?? []), e]);
    }
    let failures = 0;
    const sessionId = this.store.identity().sessionId;
    for (const [timerSeconds, group] of byTimer) {
      const hashes = group.map((e) => e.hash);
      const expiry = this.swarm.clock.now() + timerSeconds * 1000;
      try {
        const reply = await this.swarm.request(sessionId, 'expire', () => requests.expire('shorten', expiry, hashes));
        const applied = confirmExpired(reply, sessionId, hashes, await this.swarm.swarmOf(sessionId), 'shortening read messages');
        for (const e of group) e.expiresAtMs = Math.min(e.expiresAtMs ?? applied, applied);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        failures += group.length;
      }
    }
    return failures;
  }
}


/**
 * What a poll shows is read: the last read time of each 1:1 conversation moves forward in
 * ConvoInfoVolatile, so the apps on the same account stop counting those messages as unread.
 */
function markRead(state: AccountState, shown: readonly InboxEntry[]): void {
  const latest = new Map<string, number>();
  for (const e of shown) latest.set(e.peer, Math.max(latest.get(e.peer) ?? 0, e.sentAtMs));
  if (latest.size === 0) return;
  changeConfigs(state, (configs) => {
    for (const [peer, sentAtMs] of latest) {
      const known = configs.convos.oneToOne(peer);
      if (!known || known.lastRead < sentAtMs) configs.convos.setOneToOne(peer, { lastRead: sentAtMs, unread: false });
    }
  });
}
