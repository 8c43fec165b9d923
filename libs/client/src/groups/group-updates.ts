// The groups v2 control messages (groups.md 6) as the Session apps build and check them (session-desktop
// ts/session/messages/outgoing/controlMessage/group_v2, ts/receiver/groupv2). Admin actions carry
// a signature by the group key over a text that includes the send time, so a member cannot forge
// one and an old one cannot be replayed under a new time:
//   invite          "INVITE" ‖ invitee Session ID ‖ sent time (ms)     — 1:1, to the invitee
//   member change   "MEMBER_CHANGE" ‖ type ‖ sent time                  — to the group
//   info change     "INFO_CHANGE" ‖ type ‖ sent time                    — to the group
// A promotion carries the group seed itself (1:1). Invite responses and "I left" need no admin
// signature: the group encryption already names and verifies their author. A removed member is
// told in namespace -11 (which a revoked subaccount may still read): for each removed member,
// its X25519 key ‖ the key generation (decimal), multi-encrypted from the group key.
import { concatBytes, ed25519KeyPairFromSeed, fromHex, parsePrefixedId, IdPrefix, signEd25519, utf8, verifyEd25519 } from '@starling/crypto';
import { GROUP_INFO_CHANGE, GROUP_MEMBER_CHANGE, GroupUpdateFields } from '../messaging/session-protos';
import { decryptForMultipleSimple, encryptForMultipleSimple } from './multi-encrypt';

export const KICKED_DOMAIN = 'SessionGroupKickedMessage';
/** Namespace a revoked member may still read: where it learns it was removed. */
export const REVOKED_RETRIEVABLE_NAMESPACE = -11;

export type MemberChange = keyof typeof GROUP_MEMBER_CHANGE;
export type InfoChange = { kind: 'name'; name: string } | { kind: 'avatar' } | { kind: 'disappearing'; timerSeconds: number };

const groupKey = (groupId: string) => parsePrefixedId(groupId, [IdPrefix.group]).key;

export function inviteMessage(groupId: string, groupName: string, adminSecret: Uint8Array, invitee: string, authData: Uint8Array, sentAtMs: number): GroupUpdateFields {
  return {
    inviteMessage: {
      groupSessionId: groupId,
      name: groupName,
      memberAuthData: authData,
      adminSignature: signEd25519(adminSecret, utf8(`INVITE${invitee}${sentAtMs}`)),
    },
  };
}

/** The invitation was signed by the group's key, for us, at the time it says. */
export function inviteIsGenuine(invite: NonNullable<GroupUpdateFields['inviteMessage']>, ourSessionId: string, sentAtMs: number): boolean {
  try {
    return verifyEd25519(invite.adminSignature, utf8(`INVITE${ourSessionId}${sentAtMs}`), groupKey(invite.groupSessionId));
  } catch {
    return false; // not a group id
  }
}

export function promoteMessage(groupSeed: Uint8Array, groupName: string): GroupUpdateFields {
  return { promoteMessage: { groupIdentitySeed: groupSeed.slice(0, 32), name: groupName } };
}

/** The group a promotion is for (the seed's key, "03…"). */
export function promotedGroupId(promote: NonNullable<GroupUpdateFields['promoteMessage']>): string {
  if (promote.groupIdentitySeed?.length !== 32) throw new RangeError('a promotion carries a 32-byte group seed');
  return `03${Buffer.from(ed25519KeyPairFromSeed(promote.groupIdentitySeed).publicKey).toString('hex')}`;
}

export function memberChangeMessage(change: MemberChange, members: readonly string[], adminSecret: Uint8Array, sentAtMs: number, historyShared = false): GroupUpdateFields {
  const type = GROUP_MEMBER_CHANGE[change];
  return {
    memberChangeMessage: {
      type,
      memberSessionIds: [...members],
      historyShared: change === 'added' && historyShared ? true : undefined,
      adminSignature: signEd25519(adminSecret, utf8(`MEMBER_CHANGE${type}${sentAtMs}`)),
    },
  };
}

export function infoChangeMessage(change: InfoChange, adminSecret: Uint8Array, sentAtMs: number): GroupUpdateFields {
  const type = change.kind === 'name' ? GROUP_INFO_CHANGE.name : change.kind === 'avatar' ? GROUP_INFO_CHANGE.avatar : GROUP_INFO_CHANGE.disappearingMessages;
  return {
    infoChangeMessage: {
      type,
      updatedName: change.kind === 'name' ? change.name : undefined,
      updatedExpiration: change.kind === 'disappearing' ? change.timerSeconds : undefined,
      adminSignature: signEd25519(adminSecret, utf8(`INFO_CHANGE${type}${sentAtMs}`)),
    },
  };
}

/** A member or info change really comes from an admin (signed by the group key for that time). */
export function adminChangeIsGenuine(update: GroupUpdateFields, groupId: string, sentAtMs: number): boolean {
  const member = update.memberChangeMessage;
  const info = update.infoChangeMessage;
  const [text, signature] = member ? [`MEMBER_CHANGE${member.type}${sentAtMs}`, member.adminSignature] : info ? [`INFO_CHANGE${info.type}${sentAtMs}`, info.adminSignature] : [undefined, undefined];
  if (!text || !signature) return false;
  return verifyEd25519(signature, utf8(text), groupKey(groupId));
}

export const inviteResponseMessage = (): GroupUpdateFields => ({ inviteResponse: { isApproved: true } });
export const memberLeftMessage = (): GroupUpdateFields => ({ memberLeftMessage: {} });
export const memberLeftNotificationMessage = (): GroupUpdateFields => ({ memberLeftNotificationMessage: {} });

/** The namespace -11 message telling `removed` they are out (keys generation `generation`). */
export function kickedMessage(adminSecret: Uint8Array, removed: readonly string[], generation: number): Uint8Array {
  const keys = removed.map((id) => fromHex(id.slice(2), 32));
  return encryptForMultipleSimple(keys.map((k) => concatBytes(k, utf8(String(generation)))), keys, adminSecret, KICKED_DOMAIN);
}

/**
 * Whether a namespace -11 message removes us: it opens with our key, names our X25519 key, and
 * its generation is not older than the keys we hold (an old removal must not undo a re-invite).
 */
export function kickedUs(data: Uint8Array, ourSecret: Uint8Array, ourSessionId: string, groupPublic: Uint8Array, ourGeneration: number): boolean {
  const plain = decryptForMultipleSimple(data, ourSecret, groupPublic, KICKED_DOMAIN);
  if (!plain || plain.length <= 32) return false;
  if (Buffer.from(plain.subarray(0, 32)).toString('hex') !== ourSessionId.slice(2)) return false;
  const text = Buffer.from(plain.subarray(32)).toString('ascii');
  if (!/^\d+$/.test(text)) return false;
  return Number(text) >= ourGeneration;
}
