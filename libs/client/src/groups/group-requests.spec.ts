// Requests to a group's swarm: what an admin and a member sign, as the storage server checks it
// (storage-onion 1.3): the group key, or the subaccount token signed by the group key plus the
// member's signature under the token's key; revocations sign the raw tokens.
import { concatBytes, ed25519KeyPairFromSeed, fromBase64, fromHex, ready, subaccountKey, subaccountRefusal, SubaccountFlag, utf8, verifyEd25519 } from '@starling/crypto';
import vectors from './vectors/libsession-groups.json';
import { GroupRequests } from './group-requests';
import { makeSubaccountAuth, subaccountToken } from './subaccount-auth';
import { GROUP_SEED, MEMBER_SEEDS } from './test-keys';

const V = vectors as Record<string, string>;
const TS = 1700000000000;
const group = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED));
const member = () => ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[0]));

beforeAll(ready);

it('an admin signs with the group key, without pubkey_ed25519', () => {
  const params = new GroupRequests(V.group_id, { kind: 'admin', groupSecret: group().secretKey }).retrieve(11, TS, undefined, -2);
  expect(params).toMatchObject({ pubkey: V.group_id, namespace: 11, timestamp: TS, last_hash: '', max_size: -2 });
  expect(params).not.toHaveProperty('pubkey_ed25519');
  expect(verifyEd25519(fromBase64(params.signature as string), utf8(`retrieve11${TS}`), group().publicKey)).toBe(true);
});

it.each([
  ['retrieve', (r: GroupRequests) => r.retrieve(12, TS, 'h'.repeat(43), -8), `retrieve12${TS}`, SubaccountFlag.read],
  ['store', (r: GroupRequests) => r.store(11, TS, 60_000, utf8('x')), `store11${TS}`, SubaccountFlag.write],
  ['extend', (r: GroupRequests) => r.expire('extend', TS, ['a'.repeat(43)]), `expireextend${TS}${'a'.repeat(43)}`, SubaccountFlag.write],
])('a member %s passes the storage server\'s subaccount checks', (_what, build, text, flag) => {
  const auth = makeSubaccountAuth(group().secretKey, V.member0_session_id);
  const params = build(new GroupRequests(V.group_id, { kind: 'member', userSecret: member().secretKey, authData: auth }));
  const token = fromBase64(params.subaccount as string);
  expect(subaccountRefusal(token, fromBase64(params.subaccount_sig as string), 0x03, group().publicKey, flag)).toBeNull();
  expect(verifyEd25519(fromBase64(params.signature as string), utf8(text), subaccountKey(token))).toBe(true);
  // The token is the one an admin computes (and revokes) from the Session ID alone.
  expect(token).toEqual(subaccountToken(group().secretKey, V.member0_session_id));
});

it('a read-only member lacks the write flag the storage server wants for a store', () => {
  const auth = makeSubaccountAuth(group().secretKey, V.member0_session_id, { write: false });
  const params = new GroupRequests(V.group_id, { kind: 'member', userSecret: member().secretKey, authData: auth }).store(11, TS, 60_000, utf8('x'));
  expect(subaccountRefusal(fromBase64(params.subaccount as string), fromBase64(params.subaccount_sig as string), 0x03, group().publicKey, SubaccountFlag.write)).toBe('permission');
});

it('revoke and unrevoke sign method ‖ time ‖ raw tokens, tokens as hex; members cannot', () => {
  const tokens = [subaccountToken(group().secretKey, V.member0_session_id), subaccountToken(group().secretKey, V.member1_session_id)];
  const admin = new GroupRequests(V.group_id, { kind: 'admin', groupSecret: group().secretKey });
  const revoke = admin.revoke(tokens, TS);
  expect(revoke.revoke).toEqual(tokens.map((t) => Buffer.from(t).toString('hex')));
  expect(verifyEd25519(fromBase64(revoke.signature as string), concatBytes(utf8(`revoke_subaccount${TS}`), ...tokens), group().publicKey)).toBe(true);
  const unrevoke = admin.unrevoke(tokens.slice(0, 1), TS);
  expect(verifyEd25519(fromBase64(unrevoke.signature as string), concatBytes(utf8(`unrevoke_subaccount${TS}`), tokens[0]), group().publicKey)).toBe(true);
  const memberRequests = new GroupRequests(V.group_id, { kind: 'member', userSecret: member().secretKey, authData: makeSubaccountAuth(group().secretKey, V.member0_session_id) });
  expect(() => memberRequests.revoke(tokens, TS)).toThrow(/admin key/);
});
