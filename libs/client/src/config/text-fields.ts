// Fields several configs share the rules of (libsession set_nonempty_str, set_pair_if): a UTF-8
// text with a byte limit, where empty means absent; a picture, which is a URL and a 32-byte key
// set or cleared together.
import { binaryToBytes, binaryToText, bytesToBinary, textToBinary } from './bencode';
import { Field, setPairIf } from './config-object';

export interface ProfilePicture {
  url: string;
  /** 32-byte decryption key. */
  key: Uint8Array;
}

/** The field's text; undefined when absent or empty. */
export function textOf(field: Field): string | undefined {
  const value = field.string();
  return value ? binaryToText(value) : undefined;
}

/** Sets the text (an empty one removes it); longer than `maxBytes` is a RangeError naming `what`. */
export function setLimitedText(field: Field, text: string, maxBytes: number, what: string): void {
  const bytes = textToBinary(text);
  if (bytes.length > maxBytes) throw new RangeError(`Invalid ${what}: exceeds maximum length`);
  field.nonEmpty(bytes);
}

export function pictureOf(url: Field, key: Field): ProfilePicture | undefined {
  const u = url.string();
  const k = key.string();
  return u && k?.length === 32 ? { url: binaryToText(u), key: binaryToBytes(k) } : undefined;
}

/** Both a URL and a 32-byte key set the picture; anything else clears it. */
export function setPicture(url: Field, key: Field, picture: ProfilePicture | undefined): void {
  const ok = !!picture && picture.url !== '' && picture.key.length === 32;
  setPairIf(ok, url, ok ? textToBinary(picture!.url) : '', key, ok ? bytesToBinary(picture!.key) : '');
}
