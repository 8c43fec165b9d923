// Checks a subscriber's signature as the push server does (upstream verify_storage_signature):
// by the account's Ed25519 key, or by a subaccount that the account delegated with Read access.
// The failure texts are upstream's; all are code 4.
import { SubaccountFlag, subaccountKey, subaccountRefusal, verifyEd25519 } from '@starling/crypto';
import { refuse } from './subscribe-error';

export interface SubscriberKey {
  /** 33-byte account id (netid + key). */
  account: Buffer;
  /** The Ed25519 key that signs for the account: session_ed25519 for 05 accounts, else the key bytes. */
  ed25519: Buffer;
}

export interface Subaccount {
  /** 36-byte token. */
  token: Buffer;
  /** The account's signature of the token. */
  signature: Buffer;
}

export function verifySubscriberSignature(key: SubscriberKey, signedText: string, signature: Buffer, subaccount?: Subaccount): void {
  const message = Buffer.from(signedText, 'utf8');
  if (!subaccount) {
    if (!verifyEd25519(signature, message, key.ed25519)) throw refuse('Signature verification failed');
    return;
  }
  // Upstream asks for the Read bit before it looks at the network prefix.
  if (!(subaccount.token[1]! & SubaccountFlag.read)) {
    throw refuse('Invalid subaccount: this subaccount does not have read permission');
  }
  switch (subaccountRefusal(subaccount.token, subaccount.signature, key.account[0]!, key.ed25519, SubaccountFlag.read)) {
    case 'network':
    case 'permission':
      throw refuse('Invalid subaccount: subaccount and main account have mismatched network prefix');
    case 'token_signature':
      throw refuse('Subaccount auth signature verification failed');
  }
  if (!verifyEd25519(signature, message, subaccountKey(subaccount.token))) {
    throw refuse('Subaccount main signature verification failed');
  }
}
