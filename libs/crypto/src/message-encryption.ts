// 1:1 "Session protocol" v1 (client.md 2.1): sign the plaintext together with both parties' keys,
// then seal plaintext ‖ sender Ed25519 pk ‖ signature to the recipient's X25519 key. Binding the
// recipient key into the signature stops a recipient from re-sealing the message to someone else.
import { concatBytes, requireBytes } from './encoding';
import { CryptoError } from './errors';
import { parseSessionId, sessionIdFromX25519, X25519KeyPair } from './identity';
import { blake2b, ed25519KeyPairFromSecret, ed25519PublicKeyToX25519, verifyEd25519 } from './signing';
import { sodium } from './sodium';

export interface DecryptedMessage {
  /** Still padded when the sender padded it (see unpadMessage). */
  plaintext: Uint8Array;
  senderEd25519: Uint8Array;
  /** "05" + the sender's X25519 key. */
  senderSessionId: string;
}

const ED_PK_BYTES = 32;
const SIGNATURE_BYTES = 64;
const SEAL_OVERHEAD = 48; // ephemeral pk 32 + MAC 16
// libsession's key for deriving the deterministic box's ephemeral seed.
const DETERMINISTIC_EPHEMERAL_KEY = 'SessionBoxEphemeralHashKey';

/**
 * Encrypts for a recipient given by Session ID ("05…") or 32-byte X25519 key. `senderSecret` is
 * the sender's 32-byte Ed25519 seed or 64-byte secret key.
 */
export function encryptForRecipient(
  senderSecret: Uint8Array,
  recipient: string | Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const recipientKey = recipientX25519(recipient);
  return sodium().crypto_box_seal(signedInner(senderSecret, recipientKey, plaintext), recipientKey);
}

/**
 * Same wire format, but the sealed box's ephemeral key is derived from the sender seed, recipient
 * and plaintext, so equal inputs give equal bytes (libsession uses it for messages to self).
 */
export function encryptForRecipientDeterministic(
  senderSecret: Uint8Array,
  recipient: string | Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const recipientKey = recipientX25519(recipient);
  const inner = signedInner(senderSecret, recipientKey, plaintext);
  const seed = ed25519KeyPairFromSecret(senderSecret).secretKey.subarray(0, 32);
  const ephemeralSeed = blake2b(concatBytes(seed, recipientKey, plaintext), 32, DETERMINISTIC_EPHEMERAL_KEY);
  const lib = sodium();
  const ephemeral = lib.crypto_box_seed_keypair(ephemeralSeed);
  // The nonce rule of crypto_box_seal, so that a plain seal_open opens it.
  const nonce = blake2b(concatBytes(ephemeral.publicKey, recipientKey), 24);
  return concatBytes(ephemeral.publicKey, lib.crypto_box_easy(inner, nonce, recipientKey, ephemeral.privateKey));
}

/**
 * Opens a message sealed to `recipient`. Not for us / tampered / truncated → DECRYPT_FAILED;
 * a bad signature → BAD_SIGNATURE.
 */
export function decryptIncoming(recipient: X25519KeyPair, ciphertext: Uint8Array): DecryptedMessage {
  requireBytes(recipient.publicKey, 32, 'recipient X25519 public key');
  requireBytes(recipient.secretKey, 32, 'recipient X25519 secret key');
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < SEAL_OVERHEAD) {
    throw new CryptoError('DECRYPT_FAILED', 'sealed message is too short');
  }
  let inner: Uint8Array;
  try {
    inner = sodium().crypto_box_seal_open(ciphertext, recipient.publicKey, recipient.secretKey);
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'message is not sealed to this key or was altered');
  }
  if (inner.length <= ED_PK_BYTES + SIGNATURE_BYTES) {
    throw new CryptoError('DECRYPT_FAILED', 'sealed message carries no content');
  }
  const signatureAt = inner.length - SIGNATURE_BYTES;
  const plaintext = inner.slice(0, signatureAt - ED_PK_BYTES);
  const senderEd25519 = inner.slice(signatureAt - ED_PK_BYTES, signatureAt);
  const signature = inner.subarray(signatureAt);
  if (!verifyEd25519(signature, concatBytes(plaintext, senderEd25519, recipient.publicKey), senderEd25519)) {
    throw new CryptoError('BAD_SIGNATURE', 'message signature does not verify');
  }
  return {
    plaintext,
    senderEd25519,
    senderSessionId: sessionIdFromX25519(ed25519PublicKeyToX25519(senderEd25519)),
  };
}

/** plaintext ‖ sender Ed25519 pk ‖ Ed25519 signature over (plaintext ‖ sender pk ‖ recipient pk). */
function signedInner(senderSecret: Uint8Array, recipientKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const sender = ed25519KeyPairFromSecret(senderSecret);
  const signature = sodium().crypto_sign_detached(
    concatBytes(plaintext, sender.publicKey, recipientKey),
    sender.secretKey,
  );
  return concatBytes(plaintext, sender.publicKey, signature);
}

function recipientX25519(recipient: string | Uint8Array): Uint8Array {
  return typeof recipient === 'string' ? parseSessionId(recipient) : requireBytes(recipient, 32, 'recipient X25519 key');
}
