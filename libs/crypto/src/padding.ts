// Content padding (client.md 2.3): hides the exact length of a message inside 160-byte blocks.
// We send libsession's rule and accept every client's: desktop pads to 159 mod 160, and some
// senders do not pad at all.

const BLOCK = 160;
const MARKER = 0x80;

/** libsession's padded length: the next multiple of 160 strictly greater than `length`. */
export function paddedMessageLength(length: number): number {
  return (Math.floor(length / BLOCK) + 1) * BLOCK;
}

/** content ‖ 0x80 ‖ zeros, to paddedMessageLength(content.length). */
export function padMessage(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedMessageLength(content.length));
  out.set(content);
  out[content.length] = MARKER;
  return out;
}

/**
 * Strips trailing zeros and the 0x80 before them. If anything other than 0x80 ends the zeros the
 * input was not padded, and it is returned as it is (what desktop and libsession do).
 */
export function unpadMessage(padded: Uint8Array): Uint8Array {
  for (let i = padded.length - 1; i >= 0; i--) {
    if (padded[i] === 0) continue;
    return padded[i] === MARKER ? padded.subarray(0, i) : padded;
  }
  return padded;
}
