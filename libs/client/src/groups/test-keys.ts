// Keys of libsession's group tests (tests/test_group_keys.cpp), shared by the group specs.
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, sessionIdFromX25519 } from '@starling/crypto';

export const GROUP_SEED = '0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210';
export const ADMIN_SEED = '0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210';
export const MEMBER_SEEDS = [
  '000111222333444555666777888999aaabbbcccdddeeefff0123456789abcdef',
  '00011122435111155566677788811263446552465222efff0123456789abcdef',
  '00011129824754185548239498168169316979583253efff0123456789abcdef',
  '0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff',
];

export function sessionIdOfSeed(seed: Uint8Array): string {
  return sessionIdFromX25519(ed25519PublicKeyToX25519(ed25519KeyPairFromSeed(seed).publicKey));
}
