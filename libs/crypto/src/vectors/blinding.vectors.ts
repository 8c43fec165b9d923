// Blinding vectors. Sources: client.md 9.2 and sogs-fileserver.md 2.9 B/C. Rows the reference
// abbreviates ("more pairs in the file") are completed from the files it names: libsession
// tests/test_blinding.cpp and pysogs tests/test_blinding.py (15 column; the file's 25 column uses a
// pre-release hash without the 05 prefix, so it is not a vector for our blind25).

export const SK1 =
  'fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122' +
  'f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32';
export const SK2 =
  '8659efdcbe0949e0f81141e6d397e8be75f45d09262f209d5950e97989eb43c7' +
  '3570b69a47dc094544c1c5089c40414bbda1ffdde8aab2617fe937ee74a5ee81';
export const SESSION_ID1 = '05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f';
export const SESSION_ID2 = '0505c9a9bf178fa644d44bebf628716dc7f2df3d0842e97881962c723699152073';

const S1 = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const S2 = '00cdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const S4 = '999def0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const S5 = '888def0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
const S6 = '777def0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

/** XEd25519: |A| from the X25519 key; sk2's real pk is negative, so only the sign bit differs. */
export const xed25519Vectors = [
  { x25519Pk: SESSION_ID1.slice(2), ed25519Pk: 'f4ef873908f6a5377ba3853f0e2fa326eed9e741edf9f7d0311a3ecc66a57b32' },
  { x25519Pk: SESSION_ID2.slice(2), ed25519Pk: '3570b69a47dc094544c1c5089c40414bbda1ffdde8aab2617fe937ee74a5ee01' },
];

/**
 * blind15 from a Session ID: `positive` is the [0] candidate k·|A| (the reference's "positive": from
 * the positive Ed25519 key; the id's own sign bit may be set). `ownerIndex`: the one the owner's key gives.
 */
export const blind15FromSessionIdVectors = [
  { sessionId: SESSION_ID1, serverPk: S1, positive: '15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c07844', ownerSk: SK1, ownerIndex: 0 },
  { sessionId: SESSION_ID2, serverPk: S1, positive: '1561e070286ff7a71f167e92b18c709882b148d8238c8872caf414b301ba0564fd', ownerSk: SK2, ownerIndex: 1 },
];

export const blind25Vectors = [
  { sessionId: SESSION_ID1, ownerSk: SK1, serverPk: S1, id: '253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac' },
  { sessionId: SESSION_ID1, ownerSk: SK1, serverPk: S2, id: '2598589c7885b56cbeae6ab7b4224f202815520a54995872cb1833b44db6401c8d' },
  { sessionId: SESSION_ID2, ownerSk: SK2, serverPk: S1, id: '25a69cc6884530bf8498d22892e563716c4742f2845a7eb608de2aecbe7b6b5996' },
];

/** pysogs tests/test_blinding.py: Ed25519 seed -> the owner's blind15 id for one fixed server. */
export const PYSOGS_SERVER_PK = '6a32c7b491f4199dd1260a4cc60ae51c6bd71dad939cc521e738409f53f943be';
export const pysogsBlind15Vectors: [seed: string, id: string][] = [
  ['880adf5164a79bce71f7387fbc2cb2693c0bf0ab4cb42bf1edafddade7527a66', '15cef185d46b60a548641bd8c5baa4b7cf90b7da8e883c0ac774c703d249086479'],
  ['67416582e0700081604860d270bc986011fc5e62c53de908a9a5af2cb497c528', '15f8fbeb20cdde5e0cc0ec84e0b3705ca6090c7b23e8132589970473a5592ba388'],
  ['a5ad71709cfa315d147921e377186270367fd06926f4dbfe33f519dec6b016f7', '15758e10dc51210d7a36ea6076e2aa84d9f87283bddb508364272dce0a7618f92a'],
  ['c929a389a0dcf375ae8177891655b3835773e3a2d6d27490de8b8a160ca472f8', '1515ad8f8c5e56b31078a4a5ae73938bd523b1c86ea36033d564759e4495fbb64d'],
  ['0576076b8a82aae0fa1d0f00e97b538b43205f63759a972f26b851a55b60b5d0', '15375a56d4cbf0538f4b326e54917fd1953e9e3dfe076eb8b35929a8d869a15c13'],
  ['0a5db01db307ffd1bbe3cdd0d47c71e8837c60b38983d1df1b187301959095c9', '151a821dd107ac68845f82085efb1f88d046a084a63f7fc381ec07a367e6bc5aac'],
  ['d9b4ff572d4ebbcf26b07329f9029462f0606087d64e8932e698aa0a98231ce3', '15a4acf4c814fd1bcf83ebbe42c276630a63e32365633cb57089544b3a60b5e4ac'],
  ['dbcf64e7e6323ace8a75327119c13ef0b41e0efb94e594a6424ba41472987844', '1503e60a1fbde2a930e11db0898220ceb41e5ea9161f61ff1dc7d83be3e9b96993'],
  ['2e90f20775370121a2db8413a68bb41c3618e63c744c865d8b03ca2cb9d52e9e', '150bfdf09d985453d70b07b779ac7de982c0b6190c19126df74e8ca3adbfb87fec'],
  ['0b19b8b2f006f73810a86244697ac3feb3500af22f97434bf1e4bac575e95d2f', '15c430f8cf5e3ca4a3d0fa79d75fe60b3dc21212b4467ddd01fc1173c738161628'],
  ['32c58327a3856acb77ca0e97993100b4a14475b2d5cd3804213ae2d6f2515709', '150fdb6a400ade0aa2d261999fc51aa0151201d30626b30ec94d3a06a927948523'],
  ['f5c57e9949bbb87b3ae9fa374bc05b8e945c33141b7eb19c5125d17023120287', '15cdda69401f8ca32c4760b025b8315967ce9f5c53d4b75239b26d8ff9db5852f8'],
  ['3aacbfb5059e1df00d11ff5742f8a5b91cdb9fe163f38906d7dfaae29ad30c0c', '152701bb6cf273f7c30a0b2bb3a4b027415aab3fdff5d44b7b50af269aaa46007d'],
  ['cce2487f4f1a01a54811204e8c774e7380c080f5f40cda0ef395752ef96dd35c', '15c92aa80e809a84d97323f911355d5015e916f3d5bebc297a17b4c44bad487ad6'],
  ['a414c2990f36a115308f74bbcb56c4238135c0578abf8de0505b08e9c7b69134', '150e51c490bc7c570310276b7fdaeb9e0e14ab4674ce8217df5418b621b52c5c31'],
  ['cbf84283c5d4a906b81e7533005fdd832d9d3712e71d5ee8247e3d32c1e2e38c', '157b0487fa9bc7449a167d66b56eb3e3fc628101d84a08f3f510f46de90de2e3a4'],
  ['e75399dac3b5b3675874ba1708d1effc6ab9bbd5b0fac4cf78a3c2b36af9cfc5', '15f277d3d6afbecc15c71d16c3f183e6dbb772b176f3c818265f4459aa649b9d80'],
  ['6cef60808348898f17123eb4f47556f22ae0e7bd1988455da6d4b685ea0f93d0', '152d766ba9a19fd108e8f397b7fddaad2473cf13192858b8fd28f641e6c817c7c1'],
  ['9396176367912b4bc9b2fca427bf7fea97293ee9db75e521e31e4618e2da061c', '15a2308a015da570bd749348991d4fee7b0ea5816f372a6c584581964680c9d46a'],
  ['b9ac6f130f0ef218e1fbd9484b38ba3a0a8ec5657744732b0a4a9e7f6c80a62e', '1513533ac53ea094b0c0e907046ffc2ade32122da069df503583bf89d6af01e127'],
];

export interface BlindSignVector {
  sk: string;
  serverPk: string;
  message: string;
  signature: string;
}

/** libsession blind25_sign (deterministic). */
export const blind25SignVectors: BlindSignVector[] = [
  { sk: SK1, serverPk: S1, message: 'hello', signature: 'e6c57de4ac0cd278abbeef815bd88b163a037085deae789ecaaf4805884c4c3d3db25f3afa856241366cb341a3a4c9bbaa2cda81d028079c956fab16a7fe6206' },
  { sk: SK1, serverPk: S2, message: 'world', signature: '4460b606e9f55a7cba0bbe24207fe2859c3422783373788b6b070b2fa62ceba4f2a50749a6cee68e095747a369927f9f4afa86edaf055cad68110e35e8b06607' },
  { sk: SK2, serverPk: S1, message: 'this', signature: '57bb2f80c88ce2f677902ee58e02cbd83e4e1ec9e06e1c72a34b4ab76d0f5219cfd141ac5ce7016c73c8382db99df9f317f2bc0af6ca68edac2a9a7670938902' },
  { sk: SK2, serverPk: S4, message: 'is', signature: 'ecce032b27b09d2d3d6df4ebab8cae86656c64fd1e3e70d6f020cd7e1a8058c57e3df7b6b01e90ccd592ac4a845dde7a2fdceb1a328a6690686851583133ea0c' },
  { sk: SK2, serverPk: S5, message: '', signature: 'bf2fb9a511adbf5827e2e3bcf09f0a1cff80f85556fb76d8001aa8483b5f22e14539b170eaa0dbfa1489d1b8618ce8b48d7512cb5602c7eb8a05ce330a68350b' },
  { sk: SK1, serverPk: S6, message: 'omg!', signature: '322e280fbc3547c6b6512dbea4d60563d32acaa2df10d665c40a336c99fc3b8e4b13a7109dfdeadab2ab58b2cb314eb0510b947f43e5dfb6e0ce5bf1499d240f' },
];

/** libsession blind15_sign: pinned with the 'libsession' nonce rule. */
export const blind15SignVectors: BlindSignVector[] = [
  { sk: SK1, serverPk: S1, message: 'hello', signature: '1a5ade20b43af0e16b3e591d6f86303938d7557c0ac54469dd4f5aea759f82d22cafa42587251756e133acdddd8cbec2f707a9ce09a49f2193f46a91502c5006' },
  { sk: SK1, serverPk: S2, message: 'world', signature: 'd357f74c5ec5536840aec575051f71fdb22d70f35ef31db1715f5f694842de3b39aa647c84aa8e28ec56eb762d237c9e030639c83f429826d419ac719cd4df03' },
  { sk: SK2, serverPk: S1, message: 'this', signature: 'dacf91dfb411e99cd8ef4cb07b195b49289cf1a724fef122c73462818560bc29832a98d870ec4feb79dedca5b59aba6a466d3ce8f3e35adf25a1813f6989fd0a' },
  { sk: SK2, serverPk: S4, message: 'is', signature: '8339ea9887d3e44131e33403df160539cdc7a0a8107772172c311e95773660a0d39ed0a6c2b2c794dde1fdc640943e403497aa02c4d1a21a7d9030742beabb05' },
  { sk: SK2, serverPk: S5, message: '', signature: '8b0d6447decff3a21ec1809141580139c4a51e24977b0605fe7984439993f5377ebc9681e4962593108d03cc8b6873c5c5ba8c30287188137d2dee9ab10afd0f' },
  { sk: SK1, serverPk: S6, message: 'omg!', signature: '946725055399376ecebb605c79f845fbf689a47f98507c2a1f239516fd9c9104e19fe533631c27ba4e7444574f0e4f0f0d422b7256ed63681a3ab2fe7e040601' },
];

/** Version blinding (07), client.md 9.2 / sogs-fileserver.md 2.9 C. */
export const versionBlindingVector = {
  sk: SK1,
  seed: '91faddc2c36da4f7bcf24fd977d9ca5346ae7489cfd43c58cad9eaaa6ed60f69',
  publicKey: '88e8adb27e7b8ce776fcc25bc1501fb2888fcac0308e52fb10044f789ae1a8fa',
  timestamp: 1234567890,
  method: 'GET',
  path: '/session_version?platform=desktop',
  signature: '143c2c9828f7680ee81e6247bc7aa4777c4991add87cd724149b00452bed4e920fa57daf4627c68f43fcbddb2d465d5ea11def523f3befb2bbee39c769676305',
};
