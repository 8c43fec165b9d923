// Padding vectors. Sources: client.md 2.3 (Content padding), 5.1 and 9.7 (attachment minimum),
// 9.5 (config padded_size).

/** libsession pad_message: the next multiple of 160 strictly greater than the length. */
export const messagePaddingVectors = [
  { length: 5, padded: 160 }, // client.md 2.3
  { length: 0, padded: 160 },
  { length: 159, padded: 160 },
  { length: 160, padded: 320 }, // "a full block adds another 160"
];

/** Desktop (Signal rule) pads 5 bytes to 159: we must unpad it too. */
export const desktopPaddedLength = { length: 5, padded: 159 };

export const attachmentPaddingVectors = [
  { size: 1, padded: 541 }, // minimum (client.md 5.1, desktop test pins 541)
  { size: 541, padded: 541 },
  { size: 10_000_000, padded: 10_000_000 }, // capped at the upload limit
];

/** libsession config padded_size(size, overhead) (client.md 9.5). */
export const configPaddingVectors = [
  { size: 1, overhead: 0, padded: 256 },
  { size: 1, overhead: 10, padded: 246 },
  { size: 246, overhead: 10, padded: 246 },
  { size: 247, overhead: 10, padded: 502 },
  { size: 3745, overhead: 96, padded: 4000 },
  { size: 4865, overhead: 0, padded: 5 * 1024 },
  { size: 5 * 1024 + 1, overhead: 0, padded: 6 * 1024 },
  { size: 10 * 1024 + 1, overhead: 0, padded: 11 * 1024 },
  { size: 20 * 1024 + 1, overhead: 0, padded: 22 * 1024 },
  { size: 38 * 1024 + 1, overhead: 0, padded: 40 * 1024 },
  { size: 40 * 1024 + 1, overhead: 0, padded: 45 * 1024 },
  { size: 70 * 1024 + 1, overhead: 0, padded: 75 * 1024 },
];
