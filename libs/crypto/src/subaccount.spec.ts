import { concatBytes } from './encoding';
import { ed25519KeyPairFromSeed, signEd25519 } from './signing';
import { ready } from './sodium';
import { SubaccountFlag, subaccountKey, subaccountRefusal } from './subaccount';

beforeAll(ready);

describe('subaccount tokens', () => {
  const owner = () => ed25519KeyPairFromSeed(new Uint8Array(32).fill(1));
  const delegate = () => ed25519KeyPairFromSeed(new Uint8Array(32).fill(2));
  const token = (prefix: number, flags: number) => concatBytes(Uint8Array.of(prefix, flags, 0, 0), delegate().publicKey);

  it('accepts a token with the flags, signed by the owner, and names the delegate key', () => {
    const t = token(0x03, SubaccountFlag.read | SubaccountFlag.write);
    expect(subaccountRefusal(t, signEd25519(owner().secretKey, t), 0x03, owner().publicKey, SubaccountFlag.read)).toBeNull();
    expect(subaccountKey(t)).toEqual(delegate().publicKey);
  });

  it('refuses, in the storage server order: network, permission, token signature', () => {
    const wrongNet = token(0x05, 0);
    expect(subaccountRefusal(wrongNet, new Uint8Array(64), 0x03, owner().publicKey, SubaccountFlag.read)).toBe('network');
    const anyPrefix = token(0x05, SubaccountFlag.anyPrefix);
    expect(subaccountRefusal(anyPrefix, new Uint8Array(64), 0x03, owner().publicKey, SubaccountFlag.read)).toBe('permission');
    const readable = token(0x03, SubaccountFlag.read);
    expect(subaccountRefusal(readable, signEd25519(delegate().secretKey, readable), 0x03, owner().publicKey, SubaccountFlag.read)).toBe('token_signature');
  });
});
