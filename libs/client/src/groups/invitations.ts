// Invitations and promotions (groups.md 6.1, 6.3) arrive as 1:1 messages in our own inbox. An invitation
// is taken only when the group's key signed it for us at the time it carries and its auth data
// verifies for our key; a promotion proves itself by carrying the group seed. Both go into the
// account's UserGroups config, so every device of the account joins. From a contact we approved
// the group is joined at once (as the apps do); from anyone else it waits as an invitation until
// `starling group accept`.
import { Identity } from '@starling/crypto';
import { AccountState } from '../account/account-state';
import { defaultCommon, GroupEntry } from '../config/user-groups';
import { GroupUpdateFields } from '../messaging/session-protos';
import { changeConfigs, contactOf } from '../sync/config-changes';
import { inviteIsGenuine, promotedGroupId } from './group-updates';
import { verifySubaccountAuth } from './subaccount-auth';

export interface GroupInvitation {
  groupId: string;
  name: string;
  kind: 'invite' | 'promote';
  from: string;
  fromName?: string;
  /** Waiting for `starling group accept` (the inviter is not an approved contact). */
  pending: boolean;
}

/** Applies an invitation or promotion to the account state; undefined when it is not genuine. */
export function takeGroupInvitation(state: AccountState, identity: Identity, update: GroupUpdateFields, from: string, sentAtMs: number): GroupInvitation | undefined {
  const approved = contactOf(state, from)?.approved === true;
  const invite = update.inviteMessage;
  if (invite) {
    if (!inviteIsGenuine(invite, identity.sessionId, sentAtMs)) return undefined;
    if (!verifySubaccountAuth(invite.groupSessionId, identity.ed25519.secretKey, invite.memberAuthData)) return undefined;
    const groupId = invite.groupSessionId.toLowerCase();
    const pending = changeConfigs(state, (c) => {
      const known = c.groups.group(groupId);
      const entry: GroupEntry = known ?? { ...defaultCommon(), groupId, name: '', removedStatus: 0, joinedAt: Math.floor(sentAtMs / 1000) };
      // Invited back after a removal: an approved inviter brings us straight back in.
      const stillPending = known && known.removedStatus === 0 ? known.invited : !approved;
      c.groups.setGroup({ ...entry, name: invite.name, authData: invite.memberAuthData, invited: stillPending, removedStatus: 0 });
      return stillPending;
    });
    return { groupId, name: invite.name, kind: 'invite', from, pending };
  }
  const promote = update.promoteMessage;
  if (promote) {
    let groupId: string;
    try {
      groupId = promotedGroupId(promote);
    } catch {
      return undefined;
    }
    const pending = changeConfigs(state, (c) => {
      const known = c.groups.group(groupId);
      const entry: GroupEntry = known ?? { ...defaultCommon(), groupId, name: '', removedStatus: 0, joinedAt: Math.floor(sentAtMs / 1000), invited: !approved };
      c.groups.setGroup({ ...entry, name: promote.name || entry.name, adminSeed: promote.groupIdentitySeed, removedStatus: 0 });
      return entry.invited;
    });
    return { groupId, name: promote.name, kind: 'promote', from, pending };
  }
  return undefined;
}
