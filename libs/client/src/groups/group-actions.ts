// What a person does with groups (`starling group …`), as the Session apps do it (groups.md 6):
// - create: a new group key pair is the group; we are its first admin; members are invited.
// - invite: admins add members to Members and either rotate the key (new members read from now
//   on) or send them the keys held (with history); each gets auth data for the swarm and a 1:1
//   invitation; the group is told who was added.
// - remove: a removal notice for them (-11), the key rotated without them, Info and Members
//   re-encrypted, their subaccount tokens revoked in the swarm, the group told.
// - promote: the group seed, sent 1:1; the member marks itself admin when it next polls.
// - leave, accept, send, and changes to name, description and disappearing messages.
import { ed25519KeyPairFromSeed, Identity, parseSessionId, sodium } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { depositInInbox } from '../conversations/send';
import { defaultCommon } from '../config/user-groups';
import { loadZstd } from '../config/zstd';
import { encodeMessage } from '../messaging/wire';
import { AttachmentPointerFields, ContentFields, EXPIRATION_TYPE, GroupUpdateFields } from '../messaging/session-protos';
import { ClientError } from '../network/errors';
import { CONFIG_TTL_MS, MESSAGE_TTL_MS } from '../storage/own-swarm-requests';
import { SwarmAccess } from '../storage/swarm-access';
import { changeConfigs, contactOf, profileName, readConfigs } from '../sync/config-changes';
import { ConfigSync } from '../sync/config-sync';
import { GroupConfigs } from './group-configs';
import { encodeGroupContent } from './group-message';
import { GroupMember, newMember, STATUS_FAILED, STATUS_NOT_SENT, STATUS_SENT } from './group-members';
import { AdminDuties, GroupPoller, GroupPollResult } from './group-poll';
import { GroupStore } from './group-store';
import { GROUP_KEYS_NAMESPACE, GroupSwarm, PushedConfigs } from './group-swarm';
import {
  InfoChange,
  infoChangeMessage,
  inviteMessage,
  inviteResponseMessage,
  kickedMessage,
  memberChangeMessage,
  memberLeftMessage,
  memberLeftNotificationMessage,
  promoteMessage,
  REVOKED_RETRIEVABLE_NAMESPACE,
} from './group-updates';
import { groupName, OpenGroup, openGroup, parseGroupId, saveGroup } from './open-group';
import { makeSubaccountAuth, subaccountToken } from './subaccount-auth';

/** Bytes of text a group message may carry (the whole message stays well under the swarm's limit). */
export const MAX_GROUP_TEXT_BYTES = 60_000;

export interface SentGroupMessage {
  groupId: string;
  hash: string;
  sentAtMs: number;
  ttlMs: number;
  /** Bytes stored in the swarm. */
  bytes: number;
}

export interface InviteOutcome {
  invited: string[];
  /** Members whose invitation could not be delivered (marked failed in Members; invite again). */
  failed: Array<{ member: string; reason: string }>;
  /** Something that went wrong without stopping the invitation. */
  warning?: string;
}

export interface RemoveOutcome {
  removed: string[];
  /** The key generation now in use. */
  generation: number;
  /** The configs stored by the rotation. */
  pushed: PushedConfigs;
}

export class GroupActions implements AdminDuties {
  private readonly groupSwarm: GroupSwarm;

  constructor(
    private readonly store: AccountStore,
    private readonly groups: GroupStore,
    private readonly swarm: SwarmAccess,
  ) {
    this.groupSwarm = new GroupSwarm(swarm);
  }

  poller(): GroupPoller {
    return new GroupPoller(this.store, this.groups, this.swarm, this);
  }

  /** Polls every joined group once; a group that fails is reported and the others still come. */
  async pollAll(): Promise<{ results: GroupPollResult[]; failures: Array<{ groupId: string; error: string }> }> {
    await loadZstd();
    const joined = readConfigs(this.store.readState()).groups.groups().filter((g) => !g.invited && g.removedStatus === 0);
    const poller = this.poller();
    const out: { results: GroupPollResult[]; failures: Array<{ groupId: string; error: string }> } = { results: [], failures: [] };
    for (const g of joined) {
      try {
        out.results.push(await poller.poll(g.groupId));
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        out.failures.push({ groupId: g.groupId, error: err.message });
      }
    }
    return out;
  }

  /** Creates a group with us as admin, and invites `memberIds`. */
  async create(name: string, memberIds: readonly string[], description?: string): Promise<{ groupId: string } & InviteOutcome> {
    await loadZstd();
    if (name.trim() === '') throw new ClientError('a group needs a name', 'input');
    const members = this.checkMembers(memberIds);
    const identity = this.store.identity();
    const seed = sodium().randombytes_buf(32);
    const groupKeys = ed25519KeyPairFromSeed(seed);
    const groupId = `03${Buffer.from(groupKeys.publicKey).toString('hex')}`;
    const configs = new GroupConfigs(identity.ed25519.secretKey, groupKeys.publicKey, groupKeys.secretKey);
    configs.info.setNameTruncated(name);
    if (description) configs.info.setDescriptionTruncated(description);
    configs.info.setCreatedSeconds(Math.floor(this.swarm.clock.now() / 1000));
    configs.members.set({ ...newMember(identity.sessionId), name: profileName(this.store.readState()) ?? '', admin: true, inviteStatus: 0 });
    for (const m of members) configs.members.set(this.memberFor(m, false));
    configs.rekey();
    this.store.updateState((state) =>
      changeConfigs(state, (c) => c.groups.setGroup({ ...defaultCommon(), groupId, name, adminSeed: seed, removedStatus: 0, joinedAt: Math.floor(this.swarm.clock.now() / 1000) })),
    );
    this.groups.update(groupId, (g) => configs.saveInto(g.dumps));
    const group = openGroup(this.store, this.groups, groupId);
    await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
    await this.syncAccount();
    const outcome = await this.deliverInvitations(group, members);
    await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
    return { groupId, ...outcome };
  }

  /** Adds members (admins only): with history they get the keys held, else a new key is issued. */
  async invite(groupIdText: string, memberIds: readonly string[], withHistory = false): Promise<InviteOutcome> {
    await loadZstd();
    const members = this.checkMembers(memberIds);
    const group = this.adminGroup(groupIdText);
    const { configs } = group;
    for (const m of members) configs.members.set(this.memberFor(m, withHistory, configs.members.get(m)));
    // A member invited back after a removal must be let into the swarm again. For everyone else
    // this changes nothing, so a swarm that refuses it does not stop the invitation.
    const unrevoked = await this.groupSwarm.changeTokens(group, 'unrevoke', members.map((m) => subaccountToken(configs.keys.adminSecret(), m))).then(
      () => undefined,
      (err) => {
        if (!(err instanceof ClientError)) throw err;
        return `the swarm did not restore access for members removed earlier: ${err.message}`;
      },
    );
    if (withHistory) {
      const supplement = configs.keys.keySupplement(members);
      await this.groupSwarm.storeInOrder(group, [{ namespace: GROUP_KEYS_NAMESPACE, data: supplement, ttlMs: CONFIG_TTL_MS }], 'giving the keys to the new members');
    } else {
      configs.rekey();
    }
    await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
    const outcome = await this.deliverInvitations(group, members);
    await this.groupSwarm.pushConfigs(group);
    if (outcome.invited.length > 0) await this.announce(group, memberChangeMessage('added', outcome.invited, configs.keys.adminSecret(), this.now(), withHistory));
    saveGroup(this.groups, group);
    return unrevoked ? { ...outcome, warning: unrevoked } : outcome;
  }

  /** Removes members (admins only): they can read nothing sent from now on. */
  async remove(groupIdText: string, memberIds: readonly string[]): Promise<RemoveOutcome> {
    await loadZstd();
    const members = this.checkMembers(memberIds);
    const group = this.adminGroup(groupIdText);
    const self = this.store.identity().sessionId;
    if (members.includes(self)) throw new ClientError('to remove yourself, use "starling group leave"', 'input');
    const unknown = members.filter((m) => !group.configs.members.get(m));
    if (unknown.length > 0) throw new ClientError(`not in the group: ${unknown.join(', ')}`, 'input');
    return this.removeMembers(group, members, true);
  }

  /** Makes members admins (admins only): each is sent the group seed. */
  async promote(groupIdText: string, memberIds: readonly string[]): Promise<InviteOutcome> {
    await loadZstd();
    const members = this.checkMembers(memberIds);
    const group = this.adminGroup(groupIdText);
    const { configs } = group;
    const outcome: InviteOutcome = { invited: [], failed: [] };
    for (const m of members) {
      const member = configs.members.get(m);
      if (!member) throw new ClientError(`${m} is not in the group; invite them first`, 'input');
      try {
        await this.sendDirect(m, () => ({ dataMessage: { groupUpdateMessage: promoteMessage(configs.keys.adminSecret(), groupName(group)), profile: this.profile() } }), 'sending the promotion');
        configs.members.set({ ...member, admin: true, inviteStatus: 0, promotionStatus: STATUS_SENT });
        outcome.invited.push(m);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        configs.members.set({ ...member, admin: true, inviteStatus: 0, promotionStatus: STATUS_FAILED });
        outcome.failed.push({ member: m, reason: err.message });
      }
    }
    await this.groupSwarm.pushConfigs(group);
    if (outcome.invited.length > 0) await this.announce(group, memberChangeMessage('promoted', outcome.invited, configs.keys.adminSecret(), this.now()));
    saveGroup(this.groups, group);
    return outcome;
  }

  /** Accepts a pending invitation: the group is joined and its admins are told once its keys are read. */
  async accept(groupIdText: string): Promise<GroupPollResult> {
    const groupId = parseGroupId(groupIdText);
    this.store.updateState((state) =>
      changeConfigs(state, (c) => {
        const entry = c.groups.group(groupId);
        if (!entry) throw new ClientError(`no invitation to group ${groupId}`, 'input');
        if (entry.removedStatus > 0) throw new ClientError('you were removed from this group; only a new invitation brings you back', 'refused');
        c.groups.setGroup({ ...entry, invited: false });
      }),
    );
    this.groups.update(groupId, (g) => (g.responsePending = true));
    await this.syncAccount();
    return this.poller().poll(groupId);
  }

  /** Leaves a group: the admins are told (and remove us), and it is gone from every device of ours. */
  async leave(groupIdText: string): Promise<void> {
    await loadZstd();
    const groupId = parseGroupId(groupIdText);
    let group: OpenGroup | undefined;
    try {
      group = openGroup(this.store, this.groups, groupId);
    } catch (err) {
      if (!(err instanceof ClientError)) throw err;
    }
    if (group && group.entry.removedStatus === 0 && !group.entry.invited && group.configs.keys.groupKeys().length > 0) {
      const identity = this.store.identity();
      const key = group.configs.keys.encryptionKey();
      const now = this.now();
      await this.groupSwarm.storeInOrder(
        group,
        [memberLeftNotificationMessage(), memberLeftMessage()].map((update, i) => ({
          namespace: 11,
          data: encodeGroupContent(identity.ed25519.secretKey, key, { dataMessage: { groupUpdateMessage: update } }, now + i),
          ttlMs: MESSAGE_TTL_MS,
        })),
        'telling the group you leave',
      );
    }
    this.store.updateState((state) =>
      changeConfigs(state, (c) => {
        if (!c.groups.eraseGroup(groupId) && !group) throw new ClientError(`you are not in group ${groupId}`, 'input');
        c.convos.eraseGroup(groupId);
      }),
    );
    this.groups.forget(groupId);
    await this.syncAccount();
  }

  /** Sends a text and/or files to the group: one store in the group's swarm, whatever its size. */
  async send(groupIdText: string, text: string, attachments: AttachmentPointerFields[] = []): Promise<SentGroupMessage> {
    await loadZstd();
    if (text.trim() === '' && attachments.length === 0) throw new ClientError('the message is empty', 'input');
    if (Buffer.byteLength(text, 'utf8') > MAX_GROUP_TEXT_BYTES) throw new ClientError(`the message is longer than ${MAX_GROUP_TEXT_BYTES} bytes`, 'input');
    let group = this.memberGroup(groupIdText);
    if (group.configs.keys.groupKeys().length === 0) {
      await this.poller().poll(group.id);
      group = this.memberGroup(groupIdText);
      if (group.configs.keys.groupKeys().length === 0) throw new ClientError('the group\'s keys are not readable yet; try again in a moment', 'network');
    }
    const timer = group.configs.info.expiryTimerSeconds;
    const content: ContentFields = {
      dataMessage: { body: text === '' ? undefined : text, attachments: attachments.length > 0 ? attachments : undefined, profile: this.profile() },
      ...(timer ? { expirationType: EXPIRATION_TYPE.afterSend, expirationTimer: timer } : {}),
    };
    const sentAtMs = this.now();
    const data = encodeGroupContent(this.store.identity().ed25519.secretKey, group.configs.keys.encryptionKey(), content, sentAtMs);
    const ttlMs = timer ? timer * 1000 : MESSAGE_TTL_MS;
    const hash = await this.groupSwarm.storeMessage(group, data, ttlMs);
    // This device knows what it sent: its own polls skip it.
    const poll = this.store.readPollState();
    poll.seen.push(hash);
    this.store.writePollState(poll);
    return { groupId: group.id, hash, sentAtMs, ttlMs, bytes: data.length };
  }

  /** Changes name, description or disappearing timer (admins only) and tells the group. */
  async updateInfo(groupIdText: string, change: { name?: string; description?: string; disappearingSeconds?: number }): Promise<void> {
    await loadZstd();
    const group = this.adminGroup(groupIdText);
    const { info } = group.configs;
    const announcements: InfoChange[] = [];
    if (change.name !== undefined) {
      if (change.name.trim() === '') throw new ClientError('a group needs a name', 'input');
      info.setNameTruncated(change.name);
      announcements.push({ kind: 'name', name: info.name ?? change.name });
    }
    if (change.description !== undefined) info.setDescriptionTruncated(change.description);
    if (change.disappearingSeconds !== undefined) {
      info.setExpiryTimerSeconds(change.disappearingSeconds);
      announcements.push({ kind: 'disappearing', timerSeconds: change.disappearingSeconds });
    }
    await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
    if (change.name !== undefined) {
      this.store.updateState((state) =>
        changeConfigs(state, (c) => {
          const entry = c.groups.group(group.id);
          if (entry) c.groups.setGroup({ ...entry, name: info.name ?? entry.name });
        }),
      );
      await this.syncAccount();
    }
    const now = this.now();
    for (const [i, a] of announcements.entries()) await this.announce(group, infoChangeMessage(a, group.configs.keys.adminSecret(), now + i), now + i);
  }

  // --- what an admin does for members after a poll (AdminDuties) ---

  acceptMember(group: OpenGroup, member: string, name?: string): void {
    const m = group.configs.members.get(member);
    if (!m) return;
    group.configs.members.set({ ...m, name: name || m.name, inviteStatus: m.admin ? m.inviteStatus : 0, supplement: false });
  }

  async removeLeaver(group: OpenGroup, member: string): Promise<void> {
    if (!group.configs.members.get(member) || member === this.store.identity().sessionId) return;
    await this.removeMembers(group, [member], false);
  }

  /** Heals a key collision, marks an accepted promotion, pushes what changed. */
  async finish(group: OpenGroup): Promise<void> {
    const self = group.configs.members.get(this.store.identity().sessionId);
    if (self && (!self.admin || self.promotionStatus !== 0)) group.configs.members.set({ ...self, admin: true, inviteStatus: 0, promotionStatus: 0 });
    if (group.configs.keys.needsRekey()) group.configs.rekey();
    await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
  }

  async sendInviteResponse(group: OpenGroup): Promise<void> {
    await loadZstd();
    await this.groupSwarm.storeMessage(group, encodeGroupContent(this.store.identity().ed25519.secretKey, group.configs.keys.encryptionKey(), { dataMessage: { groupUpdateMessage: inviteResponseMessage(), profile: this.profile() } }, this.now()));
    group.local.responsePending = false;
    saveGroup(this.groups, group);
  }

  // --- internals ---

  private async removeMembers(group: OpenGroup, members: readonly string[], announce: boolean): Promise<RemoveOutcome> {
    const { configs } = group;
    const secret = configs.keys.adminSecret();
    // Told first (in -11, which their revoked token can still read), with the generation they hold.
    await this.groupSwarm.storeMessage(group, kickedMessage(secret, members, configs.keys.currentGeneration()), CONFIG_TTL_MS, REVOKED_RETRIEVABLE_NAMESPACE);
    for (const m of members) configs.members.erase(m);
    configs.rekey();
    const pushed = await this.groupSwarm.pushConfigs(group);
    saveGroup(this.groups, group);
    if (announce) await this.announce(group, memberChangeMessage('removed', members, secret, this.now()));
    await this.groupSwarm.changeTokens(group, 'revoke', members.map((m) => subaccountToken(secret, m))).catch((err) => {
      if (!(err instanceof ClientError)) throw err;
      throw new ClientError(`removed and keys rotated, but the swarm did not revoke their access: ${err.message}`, err.kind);
    });
    return { removed: [...members], generation: configs.keys.currentGeneration(), pushed };
  }

  private async deliverInvitations(group: OpenGroup, members: readonly string[]): Promise<InviteOutcome> {
    const { configs } = group;
    const secret = configs.keys.adminSecret();
    const outcome: InviteOutcome = { invited: [], failed: [] };
    for (const m of members) {
      const member = configs.members.getOrConstruct(m);
      try {
        const auth = makeSubaccountAuth(secret, m);
        const build = (sentAtMs: number) => ({ dataMessage: { groupUpdateMessage: inviteMessage(group.id, groupName(group), secret, m, auth, sentAtMs), profile: this.profile() } });
        await this.sendDirect(m, build, 'sending the invitation');
        configs.members.set({ ...member, inviteStatus: STATUS_SENT });
        outcome.invited.push(m);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        configs.members.set({ ...member, inviteStatus: STATUS_FAILED });
        outcome.failed.push({ member: m, reason: err.message });
      }
    }
    return outcome;
  }

  /**
   * A 1:1 message (invitation, promotion) built for its send time, which it signs. When the node
   * refuses our clock, the swarm client learns the network time and the message is built again.
   */
  private async sendDirect(recipient: string, build: (sentAtMs: number) => ContentFields, what: string): Promise<void> {
    const identity: Identity = this.store.identity();
    const attempt = (sentAtMs: number) => depositInInbox(this.swarm, recipient, encodeMessage(identity.ed25519.secretKey, recipient, build(sentAtMs), sentAtMs), sentAtMs, MESSAGE_TTL_MS, what);
    await attempt(this.now()).catch((err) => {
      if (!(err instanceof ClientError) || err.kind !== 'clock') throw err;
      return attempt(this.now());
    });
  }

  private async announce(group: OpenGroup, update: GroupUpdateFields, sentAtMs = this.now()): Promise<void> {
    const data = encodeGroupContent(this.store.identity().ed25519.secretKey, group.configs.keys.encryptionKey(), { dataMessage: { groupUpdateMessage: update } }, sentAtMs);
    const hash = await this.groupSwarm.storeMessage(group, data);
    const poll = this.store.readPollState();
    poll.seen.push(hash);
    this.store.writePollState(poll);
  }

  private memberFor(sessionId: string, withHistory: boolean, known?: GroupMember): GroupMember {
    const name = contactOf(this.store.readState(), sessionId)?.name ?? known?.name ?? '';
    return { ...(known ?? newMember(sessionId)), name, admin: known?.admin ?? false, inviteStatus: known?.admin ? 0 : STATUS_NOT_SENT, supplement: withHistory, removedStatus: 0 };
  }

  private checkMembers(memberIds: readonly string[]): string[] {
    const ids = memberIds.map((m) => {
      parseSessionId(m);
      return m.toLowerCase();
    });
    if (ids.includes(this.store.identity().sessionId) && ids.length > 0) {
      // Inviting, promoting or removing oneself makes no sense; the creator is added as admin.
      throw new ClientError('that is your own Session ID', 'input');
    }
    return [...new Set(ids)];
  }

  private adminGroup(groupIdText: string): OpenGroup {
    const group = this.memberGroup(groupIdText);
    if (!group.configs.admin) throw new ClientError('only an admin of the group can do that', 'refused');
    return group;
  }

  private memberGroup(groupIdText: string): OpenGroup {
    const group = openGroup(this.store, this.groups, parseGroupId(groupIdText));
    if (group.entry.removedStatus > 0) throw new ClientError('you were removed from this group', 'refused');
    if (group.entry.invited) throw new ClientError(`you have not accepted this invitation yet: starling group accept ${group.id}`, 'input');
    return group;
  }

  private profile(): { displayName: string } | undefined {
    const name = profileName(this.store.readState());
    return name ? { displayName: name } : undefined;
  }

  private now(): number {
    return this.swarm.clock.now();
  }

  private async syncAccount(): Promise<void> {
    // The group list reaches our other devices now, or with the next network command.
    await new ConfigSync(this.store, this.swarm).pushPending().catch((err) => {
      if (!(err instanceof ClientError)) throw err;
    });
  }
}
