// Subaccount auth data, tokens and request signatures against libsession: the published vector of
// tests/test_group_keys.cpp ("swarm authentication") and the harness output in vectors/.
import { ed25519KeyPairFromSeed, fromHex, ready, toBase64, toHex, verifyEd25519 } from '@starling/crypto';
import vectors from './vectors/libsession-groups.json';
import { makeSubaccountAuth, signWithSubaccount, signWithSubaccountRaw, subaccountToken, verifySubaccountAuth } from './subaccount-auth';
import { GROUP_SEED, MEMBER_SEEDS, sessionIdOfSeed } from './test-keys';

beforeAll(ready);

const groupSecret = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED)).secretKey;

describe('libsession test_group_keys "swarm authentication" (published vector)', () => {
  const memberSeed = fromHex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
  const member = () => ed25519KeyPairFromSeed(memberSeed);

  it('signs "retrieve9991693340111000" exactly as libsession', () => {
    const memberId = sessionIdOfSeed(memberSeed);
    expect(memberId).toBe('05c5ba413c336f2fe1fb9a2c525f8a86a412a1db128a7841b4e0e217fa9eb7fd5e');
    const auth = makeSubaccountAuth(groupSecret(), memberId);
    const signed = signWithSubaccount(member().secretKey, auth, Buffer.from('retrieve9991693340111000'));
    expect(signed).toEqual({
      subaccount: 'AwMAAIWvMR2nJXCFnK5+hNahNecWqMC39/TVVLjaR3imNug5',
      subaccount_sig: '6brvv/2jfciBAJeRKMGSepNJLullyrVVHijyVDE+8GC5Oc89UNxjNrq1kVV1P+pkUIRDOew24gSLFgLZfdl+BQ==',
      signature: 'c3PJ4g29v5RivKm8Tdg49vGU2/6kVd0yONnpz5U5zePMYptqW3iYQ0TYf2rEzv3qqkPhS5p67M5GAccHoBHGDQ==',
    });
    const raw = signWithSubaccountRaw(member().secretKey, auth, Buffer.from('retrieve9991693340111000'));
    expect(verifyEd25519(raw.signature, Buffer.from('retrieve9991693340111000'), raw.token.subarray(4))).toBe(true);
  });

  it('verifies the auth data, and refuses it after any bit flip but the sign bit of k', () => {
    const memberId = sessionIdOfSeed(memberSeed);
    const auth = makeSubaccountAuth(groupSecret(), memberId);
    const groupId = vectors.group_id;
    expect(verifySubaccountAuth(groupId, member().secretKey, auth)).toBe(true);
    for (let i = 0; i < auth.length; i++) {
      for (let b = 0; b < 8; b++) {
        if (i === 35 && b === 7) continue; // flipped back by the missing X->Ed sign bit
        const flipped = auth.slice();
        flipped[i] ^= 1 << b;
        expect(verifySubaccountAuth(groupId, member().secretKey, flipped)).toBe(false);
      }
    }
  });
});

// Rows: [what, auth vector, token vector, member index, permissions]
const AUTH_ROWS: Array<[string, string, string, number, { write?: boolean; delete?: boolean }]> = [
  ['read+write (the default)', vectors.subaccount_auth_member0, vectors.subaccount_token_member0, 0, {}],
  ['read+delete, no write', vectors.subaccount_auth_member1_read_delete, vectors.subaccount_token_member1_read_delete, 1, { write: false, delete: true }],
];

describe('subaccounts against the libsession harness', () => {
  it.each(AUTH_ROWS)('%s: auth data and token byte for byte', (_what, authHex, tokenHex, index, permissions) => {
    const memberId = sessionIdOfSeed(fromHex(MEMBER_SEEDS[index]));
    expect(memberId).toBe((vectors as Record<string, string>)[`member${index}_session_id`]);
    expect(toHex(makeSubaccountAuth(groupSecret(), memberId, permissions))).toBe(authHex);
    expect(toHex(subaccountToken(groupSecret(), memberId, permissions))).toBe(tokenHex);
  });

  it('permission checks follow the flags', () => {
    const member1 = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[1]));
    const auth = fromHex(vectors.subaccount_auth_member1_read_delete);
    expect(verifySubaccountAuth(vectors.group_id, member1.secretKey, auth)).toBe(true);
    expect(verifySubaccountAuth(vectors.group_id, member1.secretKey, auth, { write: true })).toBe(false);
    expect(verifySubaccountAuth(vectors.group_id, member1.secretKey, auth, { write: false, delete: true })).toBe(true);
    // Someone else's auth data does not verify for us.
    const member0 = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[0]));
    expect(verifySubaccountAuth(vectors.group_id, member0.secretKey, auth)).toBe(false);
  });

  it('member0 signs a retrieve exactly as libsession', () => {
    const member0 = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[0]));
    const raw = signWithSubaccountRaw(member0.secretKey, fromHex(vectors.subaccount_auth_member0), Buffer.from(vectors.subaccount_sign_member0_text));
    expect(toHex(raw.token)).toBe(vectors.subaccount_sign_member0_subaccount);
    expect(toHex(raw.tokenSignature)).toBe(vectors.subaccount_sign_member0_subaccount_sig);
    expect(toHex(raw.signature)).toBe(vectors.subaccount_sign_member0_signature);
    expect(toBase64(raw.token)).toHaveLength(48);
  });
});
