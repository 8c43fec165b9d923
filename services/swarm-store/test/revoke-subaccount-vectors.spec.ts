// Subaccount revocation vectors, as a table. The group key, the member's token, the admin's token
// signature and the member's retrieve signature are libsession's "swarm authentication" vector
// (tests/test_group_keys.cpp, group seed 0123…3210). Upstream's own revocation tests use random
// keys, so the revoke/unrevoke/revoked_subaccounts signatures and the node receipts below were
// computed the way oxen-storage-server builds them (method ‖ decimal timestamp ‖ raw 36-byte
// tokens; receipt ACCOUNT_HEX ‖ timestamp ‖ tokens, by the node key) with Python's
// `cryptography` Ed25519, independently of this code. Rows run in order against one node.
import { ed25519KeyPairFromSeed, ready, toHex, verifyEd25519 } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount, TestGroup, vectorAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

const TS = 1_693_340_111_000;
const GROUP_SEED = Buffer.from('0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210', 'hex');
const GROUP_ID = '03c50cb3ae956947a8de19135b5be2685ff348afc63fc34a837aca12bc5c1f5625';
/** libsession's member token (03, Read|Write) with the admin's signature of it. */
const MEMBER_TOKEN = 'AwMAAIWvMR2nJXCFnK5+hNahNecWqMC39/TVVLjaR3imNug5';
const MEMBER_TOKEN_SIG = '6brvv/2jfciBAJeRKMGSepNJLullyrVVHijyVDE+8GC5Oc89UNxjNrq1kVV1P+pkUIRDOew24gSLFgLZfdl+BQ==';
/** The member's signature of "retrieve9991693340111000" (namespace 999 at TS). */
const MEMBER_RETRIEVE_SIG = 'c3PJ4g29v5RivKm8Tdg49vGU2/6kVd0yONnpz5U5zePMYptqW3iYQ0TYf2rEzv3qqkPhS5p67M5GAccHoBHGDQ==';
/** The same delegate key with Read only. */
const READ_TOKEN = 'AwEAAIWvMR2nJXCFnK5+hNahNecWqMC39/TVVLjaR3imNug5';
/** A 05 account's token (Read|Write|Delete) for the same delegate key; the account is storage-onion 1.11's. */
const SESSION_TOKEN = 'BQcAAIWvMR2nJXCFnK5+hNahNecWqMC39/TVVLjaR3imNug5';
const SESSION_ID = '054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01';
const SESSION_ED25519 = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';
/** The node's Ed25519 seed (bytes 32..63) and key. */
const NODE_SEED = Uint8Array.from({ length: 32 }, (_, i) => 32 + i);
const NODE_ED25519 = '29acbae141bccaf0b22e1a94d34d0bc7361e526d0bfe12c89794bc9322966dd7';

interface RevocationVector {
  method: 'revoke_subaccount' | 'unrevoke_subaccount';
  account: string;
  tokens: string[];
  signature: string;
  receipt: string;
  /** unrevoke's `count` (tokens that were revoked, given the rows before). */
  count?: number;
}

const VECTORS: RevocationVector[] = [
  {
    method: 'revoke_subaccount', account: GROUP_ID, tokens: [MEMBER_TOKEN],
    signature: 'uiqD/OsUWvNRnMz2eW2Bz5xwYdjClm07f8yCrJNFoFrQ0X2zw1iHcybHi462RhvGuuCVXChGPzIqvIrAwHCiAg==',
    receipt: 'PZmB/yitn+sHnBCRex+zSNvthJnthXVNHsG+HpZMYUvTnAD141ImXplt/5DfI1LjENBl8HNtUYqFPHkaHhxHCQ==',
  },
  {
    method: 'revoke_subaccount', account: GROUP_ID, tokens: [MEMBER_TOKEN, READ_TOKEN],
    signature: 'L6SZ0HSFgID2QBVsOMxGPK10ueVIUh6h/vKb6T4lDBXOF2gz6YDqDbrp6pckGwYVv41CdcmSjIMlyODzVKUFAg==',
    receipt: 'JENqPwsESkW1Pgc6e8ODwSpxGrN/bmYJsUfRJPbL3Imy/T6mKRJnW+78wdr9PnjqomLksmiK9FRSWdcNiRGeBg==',
  },
  {
    method: 'unrevoke_subaccount', account: GROUP_ID, tokens: [MEMBER_TOKEN],
    signature: 'fxsgE5pl431Cm1iwuiQigccrYS4WCYDBb2Q+4b14MBLZrMJGpVXxmApExGm8PC+VS5ghAA8wudQN+wXj4DLCAQ==',
    receipt: 'PZmB/yitn+sHnBCRex+zSNvthJnthXVNHsG+HpZMYUvTnAD141ImXplt/5DfI1LjENBl8HNtUYqFPHkaHhxHCQ==',
    count: 1,
  },
  {
    method: 'unrevoke_subaccount', account: GROUP_ID, tokens: [MEMBER_TOKEN, READ_TOKEN],
    signature: '/OzkFEoKaj2aKSaDKUcolBbScpnEc06Zlic8KQJimxNx1+2o0hat1BTgZ+kBB584Tb1mVE5WzddFR6Qbi7NsAw==',
    receipt: 'JENqPwsESkW1Pgc6e8ODwSpxGrN/bmYJsUfRJPbL3Imy/T6mKRJnW+78wdr9PnjqomLksmiK9FRSWdcNiRGeBg==',
    count: 1,
  },
  {
    method: 'revoke_subaccount', account: SESSION_ID, tokens: [SESSION_TOKEN],
    signature: 'cpK5mi67/g8yVU1wPy2e7asSHZI1lERl0YUJchtvYMJIk3zW3lVPCG7L1uf6VbEVvZBS+J/K7DNbMOBAuehkBQ==',
    receipt: 'd1eIu37SOTuIwLeoZUTyienuAbNoqOEJhsOWJb6HMP1o/8CQiVu1nnPixHqR278y1VzbzRWfy5wDD5BesMH/Aw==',
  },
];
const REVOKED_SUBACCOUNTS_SIG = '9qH1y44xgUW7uw9pPyofA+1ovc7ES9C/f4LQnNdctkr5p0IUnIC3GKuwK+m8XCB7TYaX/jsiksPt/XOOBu+6Cg==';

const tokenBytes = (tokens: readonly string[]) => tokens.map((t) => Buffer.from(t, 'base64'));
const signerOf = (account: string) => (account === GROUP_ID ? new TestGroup(GROUP_SEED) : vectorAccount());
const paramsOf = (v: RevocationVector, signature = v.signature) => ({
  pubkey: v.account,
  ...(v.account === SESSION_ID ? { pubkey_ed25519: SESSION_ED25519 } : {}),
  [v.method === 'revoke_subaccount' ? 'revoke' : 'unrevoke']: v.tokens,
  timestamp: TS,
  signature,
});
const memberRetrieve = { pubkey: GROUP_ID, namespace: 999, timestamp: TS, subaccount: MEMBER_TOKEN, subaccount_sig: MEMBER_TOKEN_SIG, signature: MEMBER_RETRIEVE_SIG };

beforeAll(() => ready());

it('the keys are the vectors\' keys', () => {
  expect(new TestGroup(GROUP_SEED).id).toBe(GROUP_ID);
  expect(vectorAccount().sessionId).toBe(SESSION_ID);
  expect(toHex(ed25519KeyPairFromSeed(NODE_SEED).publicKey)).toBe(NODE_ED25519);
});

it.each(VECTORS)('$method $tokens.length token(s) for $account: signed as method ‖ timestamp ‖ raw tokens', (v) => {
  const message = Buffer.concat([Buffer.from(`${v.method}${TS}`), ...tokenBytes(v.tokens)]);
  expect(signerOf(v.account).sign(message)).toBe(v.signature);
  if (v.account === GROUP_ID) {
    const change = v.method === 'revoke_subaccount' ? 'revoke' : 'unrevoke';
    expect(new TestGroup(GROUP_SEED).revocationParams(change, tokenBytes(v.tokens), TS)).toEqual(paramsOf(v));
  }
});

it('the member token of the vector is signed by the group and its retrieve signature by the token\'s key', () => {
  const token = Buffer.from(MEMBER_TOKEN, 'base64');
  expect(verifyEd25519(Buffer.from(MEMBER_TOKEN_SIG, 'base64'), token, Buffer.from(GROUP_ID.slice(2), 'hex'))).toBe(true);
  expect(verifyEd25519(Buffer.from(MEMBER_RETRIEVE_SIG, 'base64'), Buffer.from(`retrieve999${TS}`), token.subarray(4))).toBe(true);
});

describe.each(testDatabases())('revocation vectors on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend, { nodeSeed: NODE_SEED })));
  afterAll(() => node.close());
  const at = (method: string, params: object) => node.rpc(method, params, { nowMs: TS });

  it('the member reads the group with libsession\'s token before any revocation', async () => {
    expect((await at('retrieve', memberRetrieve)).status).toBe(200);
  });

  it.each(VECTORS)('$method $tokens.length token(s) for $account is accepted, with the node receipt of the vector', async (v) => {
    const res = await at(v.method, paramsOf(v));
    expect(res.status).toBe(200);
    const mine = res.json.swarm[NODE_ED25519];
    expect(mine.signature).toBe(v.receipt);
    if (v.count === undefined) expect(mine.count).toBeUndefined();
    else expect(mine.count).toBe(v.count);
  });

  it.each(VECTORS)('$method $tokens.length token(s) with one signature character changed is refused with 401', async (v) => {
    const flipped = (v.signature[0] === 'A' ? 'B' : 'A') + v.signature.slice(1);
    const res = await at(v.method, paramsOf(v, flipped));
    expect(res.status).toBe(401);
    expect(res.body).toMatch(new RegExp(`^${v.method} signature verification failed`));
  });

  it('revoked_subaccounts lists the revocation; the revoked member is refused until it is unrevoked', async () => {
    const group = { pubkey: GROUP_ID, timestamp: TS };
    expect(new TestGroup(GROUP_SEED).sign(`revoked_subaccounts${TS}`)).toBe(REVOKED_SUBACCOUNTS_SIG);
    const revoke = VECTORS[0]!;
    expect((await at(revoke.method, paramsOf(revoke))).status).toBe(200);
    const listed = await at('revoked_subaccounts', { ...group, signature: REVOKED_SUBACCOUNTS_SIG });
    expect(listed.status).toBe(200);
    expect(listed.json.revoked_subaccounts).toEqual([MEMBER_TOKEN]);
    expect(await at('retrieve', memberRetrieve)).toMatchObject({ status: 401, body: 'retrieve: subaccount token has been revoked' });
    expect((await at(VECTORS[2]!.method, paramsOf(VECTORS[2]!))).json.swarm[NODE_ED25519].count).toBe(1);
    expect((await at('retrieve', memberRetrieve)).status).toBe(200);
    expect((await at('revoked_subaccounts', { ...group, signature: REVOKED_SUBACCOUNTS_SIG })).json.revoked_subaccounts).toEqual([]);
  });

  it('a member signing revoke_subaccount with its own key is refused', async () => {
    const member = new TestAccount();
    const token = TestGroup.token(member, 0x07);
    const text = Buffer.concat([Buffer.from(`revoke_subaccount${TS}`), token]);
    const delegated = { ...new TestGroup(GROUP_SEED).delegated(member, token, ''), signature: member.sign(text) };
    const res = await at('revoke_subaccount', { pubkey: GROUP_ID, revoke: token.toString('hex'), timestamp: TS, ...delegated });
    expect(res.status).toBe(401);
    expect(res.body).toMatch(/the account key must sign it; subaccounts cannot/);
  });
});
