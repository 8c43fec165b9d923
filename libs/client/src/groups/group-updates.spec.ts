// Control messages as session-desktop signs and checks them: the exact texts signed, refusal of
// forgeries, and the namespace -11 removal notice (libsession's encoding, vectors/).
import { ed25519KeyPairFromSeed, fromHex, ready, utf8, verifyEd25519 } from '@starling/crypto';
import vectors from './vectors/libsession-groups.json';
import {
  adminChangeIsGenuine,
  infoChangeMessage,
  inviteIsGenuine,
  inviteMessage,
  kickedMessage,
  kickedUs,
  memberChangeMessage,
  promotedGroupId,
  promoteMessage,
} from './group-updates';
import { GROUP_SEED, MEMBER_SEEDS } from './test-keys';

const V = vectors as Record<string, string>;
const group = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED));
const TS = 1700000000123;

beforeAll(ready);

describe('invitations', () => {
  it('are signed "INVITE" ‖ invitee ‖ time by the group key, and checked for us at that time', () => {
    const invite = inviteMessage(V.group_id, 'Pals', group().secretKey, V.member0_session_id, new Uint8Array(100), TS).inviteMessage!;
    expect(verifyEd25519(invite.adminSignature, utf8(`INVITE${V.member0_session_id}${TS}`), group().publicKey)).toBe(true);
    expect(inviteIsGenuine(invite, V.member0_session_id, TS)).toBe(true);
    expect(inviteIsGenuine(invite, V.member1_session_id, TS)).toBe(false);
    expect(inviteIsGenuine(invite, V.member0_session_id, TS + 1)).toBe(false);
    expect(inviteIsGenuine({ ...invite, groupSessionId: V.member0_session_id }, V.member0_session_id, TS)).toBe(false);
  });

  it('a promotion names its group through the seed', () => {
    const promote = promoteMessage(fromHex(GROUP_SEED), 'Pals').promoteMessage!;
    expect(promotedGroupId(promote)).toBe(V.group_id);
  });
});

describe('admin changes', () => {
  it.each([
    ['member added', `MEMBER_CHANGE1${TS}`, () => memberChangeMessage('added', [V.member0_session_id], group().secretKey, TS, true)],
    ['member removed', `MEMBER_CHANGE2${TS}`, () => memberChangeMessage('removed', [V.member0_session_id], group().secretKey, TS)],
    ['member promoted', `MEMBER_CHANGE3${TS}`, () => memberChangeMessage('promoted', [V.member0_session_id], group().secretKey, TS)],
    ['name', `INFO_CHANGE1${TS}`, () => infoChangeMessage({ kind: 'name', name: 'New' }, group().secretKey, TS)],
    ['disappearing', `INFO_CHANGE3${TS}`, () => infoChangeMessage({ kind: 'disappearing', timerSeconds: 300 }, group().secretKey, TS)],
  ] as Array<[string, string, () => ReturnType<typeof infoChangeMessage>]>)('%s signs %s', (_what, text, build) => {
    const update = build();
    const signature = (update.memberChangeMessage ?? update.infoChangeMessage)!.adminSignature;
    expect(verifyEd25519(signature, utf8(text), group().publicKey)).toBe(true);
    expect(adminChangeIsGenuine(update, V.group_id, TS)).toBe(true);
    expect(adminChangeIsGenuine(update, V.group_id, TS - 1)).toBe(false);
  });

  it('a member cannot sign one', () => {
    const member = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[0]));
    expect(adminChangeIsGenuine(memberChangeMessage('removed', [V.admin_session_id], member.secretKey, TS), V.group_id, TS)).toBe(false);
    expect(adminChangeIsGenuine({ inviteResponse: { isApproved: true } }, V.group_id, TS)).toBe(false);
  });
});

describe('removal notices (namespace -11)', () => {
  const secretOf = (i: number) => ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[i])).secretKey;

  it('libsession\'s notice removes members 2 and 3 at generation 2, and nobody else', () => {
    const data = fromHex(V.kicked_message);
    expect(kickedUs(data, secretOf(2), V.member2_session_id, group().publicKey, 1)).toBe(true);
    expect(kickedUs(data, secretOf(3), V.member3_session_id, group().publicKey, 2)).toBe(true);
    expect(kickedUs(data, secretOf(0), V.member0_session_id, group().publicKey, 2)).toBe(false);
    // Holding a newer generation (re-invited since): the old notice does not apply.
    expect(kickedUs(data, secretOf(3), V.member3_session_id, group().publicKey, 3)).toBe(false);
  });

  it('our own notices read the same', () => {
    const data = kickedMessage(group().secretKey, [V.member1_session_id], 4);
    expect(kickedUs(data, secretOf(1), V.member1_session_id, group().publicKey, 4)).toBe(true);
    expect(kickedUs(data, secretOf(0), V.member0_session_id, group().publicKey, 0)).toBe(false);
  });
});
