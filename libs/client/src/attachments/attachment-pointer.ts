// The AttachmentPointer a message carries (client.md 5.1): where the blob is, the 64-byte key,
// the SHA-256 digest of the blob, the unpadded size, content type and file name.
import { MAX_ATTACHMENT_BYTES, type EncryptedAttachment } from '@starling/crypto';
import { ClientError } from '../network/errors';
import type { AttachmentPointerFields } from '../messaging/session-protos';
import type { UploadedFile } from './file-transfer';

export interface AttachmentInfo {
  fileName?: string;
  contentType: string;
}

/** A pointer that passed its checks: everything needed to fetch and open the file. */
export interface ReceivedAttachment {
  url: string;
  key: Uint8Array;
  digest: Uint8Array;
  size: number;
  contentType: string;
  fileName?: string;
}

const KEY_BYTES = 64;
const DIGEST_BYTES = 32;

export function buildAttachmentPointer(file: UploadedFile, encrypted: EncryptedAttachment, info: AttachmentInfo): AttachmentPointerFields {
  return {
    // A required proto2 field that no client reads any more; the URL names the file.
    deprecatedId: /^\d{1,15}$/.test(file.id) ? Number(file.id) : 0,
    contentType: info.contentType,
    key: encrypted.key,
    size: encrypted.size,
    digest: encrypted.digest,
    fileName: info.fileName,
    url: file.url,
  };
}

/** Checks a received pointer; a pointer without key, digest (client.md 5.1: mandatory) or URL is refused. */
export function readAttachmentPointer(pointer: AttachmentPointerFields): ReceivedAttachment {
  const { url, key, digest, size } = pointer;
  if (!url) throw new ClientError('the attachment has no URL', 'input');
  if (!key || key.length !== KEY_BYTES) throw new ClientError('the attachment key is not 64 bytes', 'input');
  if (!digest || digest.length !== DIGEST_BYTES) throw new ClientError('the attachment has no digest; ask the sender to update their app', 'input');
  if (size === undefined || !Number.isSafeInteger(size) || size < 0 || size > MAX_ATTACHMENT_BYTES) {
    throw new ClientError(`the attachment size ${String(size)} is not between 0 and ${MAX_ATTACHMENT_BYTES} bytes`, 'input');
  }
  return {
    url,
    key: new Uint8Array(key),
    digest: new Uint8Array(digest),
    size,
    contentType: pointer.contentType || 'application/octet-stream',
    fileName: pointer.fileName || undefined,
  };
}
