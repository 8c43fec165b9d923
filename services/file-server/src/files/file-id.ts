// File ids are content addresses, as on the upstream file server: URL-safe base64 of a 33-byte
// BLAKE2b of the uploaded bytes keyed with "SessionFileSvr\0\0" (33 bytes = 44 characters, no
// padding). Uploading the same bytes twice yields the same id and refreshes one stored copy.
import { setImmediate } from 'timers/promises';
import { sodium } from '@starling/crypto';

const FILE_ID_KEY = Buffer.from('SessionFileSvr\0\0', 'latin1');
const FILE_ID_DIGEST_BYTES = 33;
const FILE_ID = /^[A-Za-z0-9_-]{44}$/;

/**
 * Bytes hashed per turn of the event loop: BLAKE2b of a 10 MB upload in one call (12 ms here)
 * would hold up every other request of the process for as long.
 */
const HASH_TURN_BYTES = 256 * 1024;

/** Hashes an upload part by part, as it arrives. */
export class FileIdHasher {
  private readonly state = sodium().crypto_generichash_init(FILE_ID_KEY, FILE_ID_DIGEST_BYTES);

  async update(part: Uint8Array): Promise<void> {
    for (let at = 0; at < part.length; at += HASH_TURN_BYTES) {
      if (at > 0) await setImmediate();
      sodium().crypto_generichash_update(this.state, part.subarray(at, at + HASH_TURN_BYTES));
    }
  }

  digest(): string {
    const hash = sodium().crypto_generichash_final(this.state, FILE_ID_DIGEST_BYTES);
    return Buffer.from(hash).toString('base64url');
  }
}

export async function fileIdOf(bytes: Uint8Array): Promise<string> {
  const hasher = new FileIdHasher();
  await hasher.update(bytes);
  return hasher.digest();
}

export function isFileId(text: string): boolean {
  return FILE_ID.test(text);
}
