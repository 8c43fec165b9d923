// The group's Info config (namespace 13, domain "groups::Info"; groups.md 3),
// encrypted with the group key and signed by the group key, so only members read it and only
// admins change it. Keys:
//   n name (≤ 100 bytes) · o description (≤ 2000) · p/q picture URL and key · E disappearing
//   timer (s, delete after send) · c created (unix s) · d/D delete messages/attachments before
//   (unix s) · ! destroyed
import { ConfigKind } from '../config/config-envelope';
import { ConfigObject, ConfigSigningKeys } from '../config/config-object';
import { pictureOf, ProfilePicture, setLimitedText, setPicture, textOf } from '../config/text-fields';
import { truncateUtf8 } from '../config/utf8';

export const GROUP_INFO: ConfigKind = { namespace: 13, domain: 'groups::Info', compressionLevel: 1, wrapped: false };
export const GROUP_NAME_MAX_BYTES = 100;
export const GROUP_DESCRIPTION_MAX_BYTES = 2000;

export class GroupInfo {
  readonly config: ConfigObject;

  constructor(signing: ConfigSigningKeys, dump?: Uint8Array) {
    this.config = new ConfigObject(GROUP_INFO, undefined, dump, signing);
  }

  get name(): string | undefined {
    return textOf(this.config.field('n'));
  }

  /** An empty name removes it; over 100 bytes is an error (setNameTruncated cuts it). */
  setName(name: string): void {
    setLimitedText(this.config.field('n'), name, GROUP_NAME_MAX_BYTES, 'group name');
  }

  setNameTruncated(name: string): void {
    this.setName(truncateUtf8(name, GROUP_NAME_MAX_BYTES));
  }

  get description(): string | undefined {
    return textOf(this.config.field('o'));
  }

  setDescription(description: string): void {
    setLimitedText(this.config.field('o'), description, GROUP_DESCRIPTION_MAX_BYTES, 'group description');
  }

  setDescriptionTruncated(description: string): void {
    this.setDescription(truncateUtf8(description, GROUP_DESCRIPTION_MAX_BYTES));
  }

  get picture(): ProfilePicture | undefined {
    return pictureOf(this.config.field('p'), this.config.field('q'));
  }

  setPicture(picture: ProfilePicture | undefined): void {
    setPicture(this.config.field('p'), this.config.field('q'), picture);
  }

  /** Disappearing messages (delete after send) in seconds; undefined when off. */
  get expiryTimerSeconds(): number | undefined {
    return this.positive('E');
  }

  setExpiryTimerSeconds(seconds: number): void {
    this.config.field('E').positive(seconds);
  }

  get createdSeconds(): number | undefined {
    return this.positive('c');
  }

  setCreatedSeconds(seconds: number): void {
    this.config.field('c').positive(seconds);
  }

  /** Members delete messages sent before this (unix s). */
  get deleteBeforeSeconds(): number | undefined {
    return this.positive('d');
  }

  setDeleteBeforeSeconds(seconds: number): void {
    this.config.field('d').positive(seconds);
  }

  get deleteAttachmentsBeforeSeconds(): number | undefined {
    return this.positive('D');
  }

  setDeleteAttachmentsBeforeSeconds(seconds: number): void {
    this.config.field('D').positive(seconds);
  }

  get destroyed(): boolean {
    return (this.config.field('!').integer() ?? 0n) > 0n;
  }

  /** Tells every member the group is gone (cannot be undone). */
  destroy(): void {
    this.config.field('!').flag(true);
  }

  private positive(key: string): number | undefined {
    const v = this.config.field(key).integer();
    return v !== undefined && v > 0n ? Number(v) : undefined;
  }
}
