// One poll of a group's swarm, in the order the apps read it (groups.md 1): the key list (12) —
// it holds the keys everything else is encrypted with — then the removal notices (-11) a revoked
// member can still read, then Info (13) and Members (14), then the messages (11). An admin then
// acts on what the members asked (an accepted invitation, a member who left) and pushes what
// changed.
import { randomInt } from 'crypto';
import { fromBase64 } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { DisappearingSetting } from '../account/account-state';
import { settingOf } from '../conversations/disappearing';
import { AttachmentPointerFields, ContentFields, GROUP_INFO_CHANGE, GROUP_MEMBER_CHANGE, GroupUpdateFields } from '../messaging/session-protos';
import { ClientError } from '../network/errors';
import { retrieveMaxSizes } from '../storage/retrieve-sizes';
import { batchResults, describeBody, SwarmAccess } from '../storage/swarm-access';
import { changeConfigs, contactOf } from '../sync/config-changes';
import { StoredMessage, storedMessages } from '../sync/config-sync';
import { formatTimer } from '../conversations/disappearing';
import { GroupKeysError } from './group-keys';
import { decodeGroupContent, GroupContent } from './group-message';
import { GroupDecryptError } from './group-message-crypto';
import { GroupStore } from './group-store';
import { GROUP_INFO } from './group-info';
import { GROUP_MEMBERS } from './group-members';
import { GROUP_KEYS_NAMESPACE, GROUP_MESSAGES_NAMESPACE } from './group-swarm';
import { adminChangeIsGenuine, kickedUs, REVOKED_RETRIEVABLE_NAMESPACE } from './group-updates';
import { groupName, OpenGroup, openGroup, saveGroup } from './open-group';

/** Keys before the configs they decrypt, configs before messages (desktop's group poll). */
export const GROUP_POLLED_NAMESPACES = [REVOKED_RETRIEVABLE_NAMESPACE, GROUP_KEYS_NAMESPACE, GROUP_INFO.namespace, GROUP_MEMBERS.namespace, GROUP_MESSAGES_NAMESPACE];
const MAX_ROUNDS = 10;

export interface GroupMessageEntry {
  groupId: string;
  groupName: string;
  hash: string;
  /** The author's Session ID. */
  author: string;
  authorName?: string;
  /** 'out': sent by this account (on any device). */
  direction: 'in' | 'out';
  sentAtMs: number;
  text: string;
  attachments?: AttachmentPointerFields[];
  disappearing?: DisappearingSetting;
  /** When the swarm drops the message (ms). */
  expiresAtMs?: number;
  /** A change to the group, shown as one line ("added …", "left the group"). */
  event?: string;
}

export interface GroupPollResult {
  groupId: string;
  entries: GroupMessageEntry[];
  /** Messages no key of ours opens (sent before we joined, or after we were removed). */
  undecryptable: number;
  /** Malformed or unsigned messages. */
  rejected: number;
  /** An admin removed us: the group is marked so and no longer polled. */
  removed: boolean;
  /** Namespaces the swarm refused us (401): our access was revoked. */
  refused: number[];
  /** Admin work done for members (accepted invitations, members who left). */
  adminActions: string[];
}

/** What an admin does for members after a poll (group-actions.ts). */
export interface AdminDuties {
  /** `name`: what the member calls itself (its profile), kept in Members for the others to see. */
  acceptMember(group: OpenGroup, member: string, name?: string): void;
  removeLeaver(group: OpenGroup, member: string): Promise<void>;
  finish(group: OpenGroup): Promise<void>;
  /** A member's invitation was accepted: tell the admins (needs the group key). */
  sendInviteResponse(group: OpenGroup): Promise<void>;
}

export class GroupPoller {
  constructor(
    private readonly store: AccountStore,
    private readonly groups: GroupStore,
    private readonly swarm: SwarmAccess,
    private readonly duties: AdminDuties,
  ) {}

  async poll(groupId: string): Promise<GroupPollResult> {
    const result: GroupPollResult = { groupId, entries: [], undecryptable: 0, rejected: 0, removed: false, refused: [], adminActions: [] };
    let group = openGroup(this.store, this.groups, groupId);
    if (group.entry.removedStatus > 0) return { ...result, removed: true };
    const members = await this.swarm.swarmOf(group.id);
    const node = members[randomInt(members.length)];
    const sizes = retrieveMaxSizes(GROUP_POLLED_NAMESPACES);
    const leavers: string[] = [];
    const accepted: Array<{ member: string; name?: string }> = [];

    for (let round = 0; round < MAX_ROUNDS; round++) {
      const poll = this.store.readPollState();
      const key = (ns: number) => `${group.id}:${node.ed25519}:${ns}`;
      const reply = await this.swarm.request(
        group.id,
        'batch',
        () => {
          const now = this.swarm.clock.now();
          return { requests: GROUP_POLLED_NAMESPACES.map((ns, i) => ({ method: 'retrieve', params: group.requests.retrieve(ns, now, poll.lastHashes[key(ns)], sizes[i]) })) };
        },
        node,
      );
      const results = batchResults(reply, GROUP_POLLED_NAMESPACES.length, 'polling the group');
      let more = false;
      const pages = new Map<number, StoredMessage[]>();
      GROUP_POLLED_NAMESPACES.forEach((ns, i) => {
        if (results[i].code === 401) {
          if (!result.refused.includes(ns)) result.refused.push(ns);
          return;
        }
        if (results[i].code !== 200) throw new ClientError(`polling group namespace ${ns} failed: ${results[i].code} ${describeBody(results[i].body)}`);
        const page = storedMessages(results[i].body, `polling group namespace ${ns}`);
        more ||= page.more;
        if (page.messages.length > 0) poll.lastHashes[key(ns)] = page.messages[page.messages.length - 1].hash;
        pages.set(ns, page.messages);
      });

      for (const m of pages.get(GROUP_KEYS_NAMESPACE) ?? []) {
        try {
          group.configs.loadKeyMessage(m.hash, fromBase64(m.data), m.timestamp ?? this.swarm.clock.now());
        } catch (err) {
          if (!(err instanceof GroupKeysError)) throw err;
          result.rejected++;
        }
      }
      // After the keys: a notice older than the keys we now hold is from before a re-invitation.
      if (!group.configs.admin && this.removedUs(group, pages.get(REVOKED_RETRIEVABLE_NAMESPACE) ?? [])) {
        this.markRemoved(group.id);
        saveGroup(this.groups, group);
        this.store.writePollState(poll);
        return { ...result, removed: true };
      }
      for (const [ns, config] of [[GROUP_INFO.namespace, group.configs.info.config], [GROUP_MEMBERS.namespace, group.configs.members.config]] as const) {
        const page = pages.get(ns) ?? [];
        if (page.length === 0 || !config.hasKeys()) continue;
        const accepted = config.merge(page.map((m) => ({ hash: m.hash, data: fromBase64(m.data) })));
        result.rejected += page.length - accepted.length;
      }
      this.readMessages(group, pages.get(GROUP_MESSAGES_NAMESPACE) ?? [], poll.seen, result, { leavers, accepted });
      saveGroup(this.groups, group);
      this.store.writePollState(poll);
      if (!more) break;
    }

    if (group.configs.admin) {
      for (const { member, name } of accepted) {
        this.duties.acceptMember(group, member, name);
        result.adminActions.push(`${member} accepted the invitation`);
      }
      for (const member of leavers) {
        await this.duties.removeLeaver(group, member);
        result.adminActions.push(`${member} left: removed, keys rotated`);
        group = openGroup(this.store, this.groups, groupId);
      }
      await this.duties.finish(group);
    }
    if (group.local.responsePending && group.configs.keys.groupKeys().length > 0) await this.duties.sendInviteResponse(group);
    this.markRead(group.id, result.entries);
    return result;
  }

  private removedUs(group: OpenGroup, notices: readonly StoredMessage[]): boolean {
    const identity = this.store.identity();
    return notices.some((m) => kickedUs(fromBase64(m.data), identity.ed25519.secretKey, identity.sessionId, group.configs.groupPublic, group.configs.keys.currentGeneration()));
  }

  private markRemoved(groupId: string): void {
    this.store.updateState((state) =>
      changeConfigs(state, (c) => {
        const entry = c.groups.group(groupId);
        if (entry) c.groups.setGroup({ ...entry, removedStatus: 1 });
      }),
    );
  }

  private readMessages(group: OpenGroup, messages: readonly StoredMessage[], seen: string[], result: GroupPollResult, asks: { leavers: string[]; accepted: Array<{ member: string; name?: string }> }): void {
    const seenSet = new Set(seen);
    const keys = group.configs.keys.groupKeys();
    const ourId = this.store.identity().sessionId;
    for (const stored of messages) {
      if (seenSet.has(stored.hash)) continue;
      let message: GroupContent;
      try {
        message = decodeGroupContent(keys, fromBase64(stored.data));
      } catch (err) {
        if (!(err instanceof GroupDecryptError)) throw err;
        result.undecryptable++;
        continue; // not marked seen: a key read later may open it
      }
      seenSet.add(stored.hash);
      seen.push(stored.hash);
      const entry = this.entry(group, stored, message, ourId);
      const update = message.content.dataMessage?.groupUpdateMessage;
      if (update) {
        const event = this.updateEvent(group, update, message, asks);
        if (event === undefined) {
          result.rejected++;
          continue;
        }
        if (event) result.entries.push({ ...entry, event });
        continue;
      }
      const data = message.content.dataMessage;
      if (!data?.body && !data?.attachments?.length) continue;
      result.entries.push(entry);
    }
  }

  private entry(group: OpenGroup, stored: StoredMessage, message: GroupContent, ourId: string): GroupMessageEntry {
    const data = message.content.dataMessage;
    const member = group.configs.members.get(message.author);
    const state = this.store.readState();
    return {
      groupId: group.id,
      groupName: groupName(group),
      hash: stored.hash,
      author: message.author,
      authorName: data?.profile?.displayName || member?.name || contactOf(state, message.author)?.name || undefined,
      direction: message.author === ourId ? 'out' : 'in',
      sentAtMs: message.sentAtMs,
      text: data?.body ?? '',
      attachments: data?.attachments?.length ? data.attachments : undefined,
      disappearing: disappearingOf(message.content),
      expiresAtMs: typeof stored.expiration === 'number' ? stored.expiration : undefined,
    };
  }

  /** The line to show for a control message ('' shows nothing); undefined for a forgery. */
  private updateEvent(group: OpenGroup, update: GroupUpdateFields, message: GroupContent, asks: { leavers: string[]; accepted: Array<{ member: string; name?: string }> }): string | undefined {
    if (update.memberChangeMessage || update.infoChangeMessage) {
      if (!adminChangeIsGenuine(update, group.id, message.sentAtMs)) return undefined;
      const member = update.memberChangeMessage;
      if (member) {
        const who = (member.memberSessionIds ?? []).join(', ');
        if (member.type === GROUP_MEMBER_CHANGE.added) return `added ${who}${member.historyShared ? ' (with history)' : ''}`;
        if (member.type === GROUP_MEMBER_CHANGE.removed) return `removed ${who}`;
        if (member.type === GROUP_MEMBER_CHANGE.promoted) return `made ${who} admin`;
        return '';
      }
      const info = update.infoChangeMessage!;
      if (info.type === GROUP_INFO_CHANGE.name) return `renamed the group to "${info.updatedName ?? ''}"`;
      if (info.type === GROUP_INFO_CHANGE.avatar) return 'changed the group picture';
      if (info.type === GROUP_INFO_CHANGE.disappearingMessages) {
        const timer = info.updatedExpiration ?? 0;
        return timer > 0 ? `set disappearing messages to after-send ${formatTimer(timer)}` : 'turned disappearing messages off';
      }
      return '';
    }
    if (update.inviteResponse) {
      if (update.inviteResponse.isApproved) asks.accepted.push({ member: message.author, name: message.content.dataMessage?.profile?.displayName });
      return update.inviteResponse.isApproved ? 'joined the group' : '';
    }
    if (update.memberLeftMessage) {
      asks.leavers.push(message.author);
      return '';
    }
    if (update.memberLeftNotificationMessage) return 'left the group';
    return '';
  }

  /** What a poll shows is read, for the apps on the same account too (ConvoInfoVolatile). */
  private markRead(groupId: string, entries: readonly GroupMessageEntry[]): void {
    const latest = Math.max(0, ...entries.map((e) => e.sentAtMs));
    if (latest === 0) return;
    this.store.updateState((state) =>
      changeConfigs(state, (c) => {
        const known = c.convos.group(groupId);
        if (!known || known.lastRead < latest) c.convos.setGroup(groupId, { lastRead: latest, unread: false });
      }),
    );
  }
}

function disappearingOf(content: ContentFields): DisappearingSetting | undefined {
  return settingOf(content.expirationType, content.expirationTimer);
}
