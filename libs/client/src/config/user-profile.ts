// UserProfile (namespace 2, domain "UserProfile"), keys as in libsession user_profile.hpp:
//   n name · p picture URL · q picture key (32 bytes) · + Note to Self priority (-1 hidden)
//   e Note to Self disappearing timer (s) · M blinded message requests (1 on, 0 off, absent default)
// Keys this client does not know stay in the data untouched.
import { ConfigKind } from './config-envelope';
import { ConfigObject } from './config-object';
import { pictureOf, ProfilePicture, setLimitedText, setPicture, textOf } from './text-fields';
import { truncateUtf8 } from './utf8';

export type { ProfilePicture } from './text-fields';

export const USER_PROFILE: ConfigKind = { namespace: 2, domain: 'UserProfile', compressionLevel: 1, wrapped: true };
/** Names are at most 100 bytes of UTF-8 (libsession contact_info::MAX_NAME_LENGTH). */
export const MAX_NAME_BYTES = 100;
export const MAX_PICTURE_URL_BYTES = 223;

export class UserProfile {
  constructor(readonly config: ConfigObject) {}

  get name(): string | undefined {
    return textOf(this.config.field('n'));
  }

  /** Sets the name (an empty one removes it); longer than 100 bytes is an error. */
  setName(name: string): void {
    setLimitedText(this.config.field('n'), name, MAX_NAME_BYTES, 'profile name');
  }

  setNameTruncated(name: string): void {
    this.setName(truncateUtf8(name, MAX_NAME_BYTES));
  }

  get picture(): ProfilePicture | undefined {
    return pictureOf(this.config.field('p'), this.config.field('q'));
  }

  /** Both a URL and a 32-byte key set the picture; anything else clears it. */
  setPicture(picture: ProfilePicture | undefined): void {
    setPicture(this.config.field('p'), this.config.field('q'), picture);
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
