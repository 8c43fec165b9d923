// Attachments in communities (sogs-fileserver.md 1.8, client.md 5.1): the same encryption as 1:1
// files but without padding, uploaded to the room itself (POST /room/<token>/file) instead of the
// file server; the post claims the upload by listing its id in `files`. Downloads are fetched only
// from the room's own server: a pointer elsewhere is refused rather than followed.
import { encryptAttachment } from '@starling/crypto';
import { AttachmentInfo, buildAttachmentPointer, readAttachmentPointer } from '../attachments/attachment-pointer';
import { openBlob, saveAttachment } from '../attachments/attachment-download';
import { checkAttachmentSize } from '../attachments/attachment-upload';
import type { AttachmentPointerFields } from '../messaging/session-protos';
import { ClientError } from '../network/errors';
import type { CommunityClient } from './community-client';
import type { CommunityServer } from './join-url';

export interface RoomUpload {
  id: number;
  pointer: AttachmentPointerFields;
}

export function roomFileUrl(server: CommunityServer, room: string, id: number): string {
  return `${server.baseUrl}/room/${room}/file/${id}`;
}

/** The file id of a pointer URL on this room's server, or a ClientError saying why not. */
export function roomFileId(url: string, server: CommunityServer, room: string): number {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError('the attachment URL is not a URL', 'input');
  }
  if (`${parsed.protocol}//${parsed.host}` !== server.baseUrl) throw new ClientError(`the attachment is on another server (${parsed.host}); not fetched`, 'refused');
  const match = /^\/room\/([A-Za-z0-9_-]{1,64})\/file\/(\d{1,15})(?:\/[^/]*)?$/.exec(parsed.pathname);
  if (!match || match[1].toLowerCase() !== room) throw new ClientError(`the attachment URL is not a file of room "${room}"; not fetched`, 'refused');
  return Number(match[2]);
}

export async function uploadRoomFile(client: CommunityClient, server: CommunityServer, room: string, data: Uint8Array, info: AttachmentInfo): Promise<RoomUpload> {
  checkAttachmentSize(data.length);
  const encrypted = encryptAttachment(data, { pad: false });
  const id = await client.uploadFile(room, encrypted.blob, info.fileName);
  return { id, pointer: buildAttachmentPointer({ id: String(id), url: roomFileUrl(server, room, id) }, encrypted, info) };
}

/** Fetches, verifies (MAC, digest, size) and saves one attachment of a post; returns the path. */
export async function downloadRoomFile(client: CommunityClient, server: CommunityServer, room: string, pointer: AttachmentPointerFields, dir: string): Promise<string> {
  const attachment = readAttachmentPointer(pointer);
  const blob = await client.downloadFile(room, roomFileId(attachment.url, server, room));
  return saveAttachment(dir, attachment, openBlob(blob, attachment));
}
