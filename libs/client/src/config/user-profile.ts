// UserProfile (namespace 2, domain "UserProfile"), keys as in libsession user_profile.hpp:
//   n name · p picture URL · q picture key (32 bytes) · + Note to Self priority (-1 hidden)
//   e Note to Self disappearing timer (s) · M blinded message requests (1 on, 0 off, absent default)
// Keys this client does not know stay in the data untouched.
import { binaryToBytes, binaryToText, bytesToBinary, textToBinary } from './bencode';
import { ConfigKind } from './config-envelope';
import { ConfigObject, setPairIf } from './config-object';
import { truncateUtf8 } from './utf8';

export const USER_PROFILE: ConfigKind = { namespace: 2, domain: 'UserProfile', compressionLevel: 1, wrapped: true };
/** Names are at most 100 bytes of UTF-8 (libsession contact_info::MAX_NAME_LENGTH). */
export const MAX_NAME_BYTES = 100;
export const MAX_PICTURE_URL_BYTES = 223;

export interface ProfilePicture {
  url: string;
  /** 32-byte decryption key. */
  key: Uint8Array;
}

export class UserProfile {
  constructor(readonly config: ConfigObject) {}

  get name(): string | undefined {
    const n = this.config.field('n').string();
    return n ? binaryToText(n) : undefined;
  }

  /** Sets the name (an empty one removes it); longer than 100 bytes is an error. */
  setName(name: string): void {
    const bytes = textToBinary(name);
    if (bytes.length > MAX_NAME_BYTES) throw new RangeError('Invalid profile name: exceeds maximum length');
    this.config.field('n').nonEmpty(bytes);
  }

  setNameTruncated(name: string): void {
    this.setName(truncateUtf8(name, MAX_NAME_BYTES));
  }

  get picture(): ProfilePicture | undefined {
    const url = this.config.field('p').string();
    const key = this.config.field('q').string();
    return url && key?.length === 32 ? { url: binaryToText(url), key: binaryToBytes(key) } : undefined;
  }

  /** Both a URL and a 32-byte key set the picture; anything else clears it. */
  setPicture(picture: ProfilePicture | undefined): void {
    const ok = !!picture && picture.url !== '' && picture.key.length === 32;
    setPairIf(ok, this.config.field('p'), ok ? textToBinary(picture!.url) : '', this.config.field('q'), ok ? bytesToBinary(picture!.key) : '');
  }

  get noteToSelfPriority(): number {
    return Number(this.config.field('+').integer() ?? 0n);
  }

  setNoteToSelfPriority(priority: number): void {
    this.config.field('+').nonZero(priority);
  }

  /** Note to Self disappearing timer in seconds, undefined when off. */
  get noteToSelfExpirySeconds(): number | undefined {
    const e = Number(this.config.field('e').integer() ?? 0n);
    return e > 0 ? e : undefined;
  }

  setNoteToSelfExpirySeconds(seconds: number): void {
    this.config.field('e').positive(Math.max(0, seconds));
  }

  /** Whether message requests from community (blinded) ids are wanted; undefined = default. */
  get blindedMessageRequests(): boolean | undefined {
    const m = this.config.field('M').integer();
    return m === undefined ? undefined : m !== 0n;
  }

  setBlindedMessageRequests(enabled: boolean | undefined): void {
    if (enabled === undefined) this.config.field('M').erase();
    else this.config.field('M').assign(enabled ? 1 : 0);
  }
}
