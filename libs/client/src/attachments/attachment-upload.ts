// Sending a file: size check, encryption on this device (legacy AES-CBC + HMAC with padding for
// 1:1, none for communities), upload through an onion path, and the pointer for the message.
import { encryptAttachment, MAX_ATTACHMENT_BYTES } from '@starling/crypto';
import type { AttachmentPointerFields } from '../messaging/session-protos';
import { ClientError } from '../network/errors';
import { AttachmentInfo, buildAttachmentPointer } from './attachment-pointer';
import type { FileServer } from './file-server';
import { ServerRequests, uploadBlob, UploadedFile } from './file-transfer';
import { noProgress, OnProgress } from './progress';

/** Refuses a file over the limit before anything is encrypted or sent. */
export function checkAttachmentSize(bytes: number): void {
  if (bytes > MAX_ATTACHMENT_BYTES) {
    throw new ClientError(`the file is ${bytes.toLocaleString('en')} bytes; attachments can be at most ${MAX_ATTACHMENT_BYTES.toLocaleString('en')} bytes`, 'input');
  }
}

export interface UploadOptions {
  /** 1:1 attachments are padded; community uploads are not (client.md 5.1). */
  pad: boolean;
  onProgress?: OnProgress;
}

export interface UploadedAttachment {
  pointer: AttachmentPointerFields;
  file: UploadedFile;
}

export async function uploadAttachment(
  requests: ServerRequests,
  server: FileServer,
  data: Uint8Array,
  info: AttachmentInfo,
  options: UploadOptions,
): Promise<UploadedAttachment> {
  const report = options.onProgress ?? noProgress;
  checkAttachmentSize(data.length);
  report({ phase: 'encrypt', state: 'start', bytes: data.length });
  const encrypted = encryptAttachment(data, { pad: options.pad });
  report({ phase: 'encrypt', state: 'done', bytes: data.length });
  report({ phase: 'upload', state: 'start', bytes: encrypted.blob.length });
  const file = await uploadBlob(requests, server, encrypted.blob);
  report({ phase: 'upload', state: 'done', bytes: encrypted.blob.length });
  return { pointer: buildAttachmentPointer(file, encrypted, info), file };
}
