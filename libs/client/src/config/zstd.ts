// zstd as libsession uses it for config messages: one frame from ZSTD_compress at level 1, kept
// only when smaller. @bokuweb/zstd-wasm is the reference zstd compiled to WebAssembly (no native
// build, nothing downloaded at install); its level-1 output matches libsession's test vectors byte
// for byte (config/zstd.spec.ts). It must be loaded once (async) before use.
import { compress, decompress, init } from '@bokuweb/zstd-wasm';

/** A decompressed config larger than this is refused (a small message must not inflate to GBs). */
export const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024;
const FRAME_MAGIC = 0xfd2fb528;

let loading: Promise<void> | undefined;
let loaded = false;

/** Loads the WebAssembly module; every config push or merge awaits this first. */
export function loadZstd(): Promise<void> {
  loading ??= init().then(() => {
    loaded = true;
  });
  return loading;
}

function requireLoaded(): void {
  if (!loaded) throw new Error('zstd is not loaded: await loadZstd() first');
}

export function zstdCompress(data: Uint8Array, level: number): Uint8Array {
  requireLoaded();
  return compress(data, level);
}

/** The decompressed frame, or undefined when it is not a valid frame or too large. */
export function zstdDecompress(frame: Uint8Array): Uint8Array | undefined {
  requireLoaded();
  const size = frameContentSize(frame);
  if (size === 'invalid' || (size !== 'unknown' && size > MAX_DECOMPRESSED_BYTES)) return undefined;
  try {
    const out = decompress(frame, { defaultHeapSize: size === 'unknown' ? MAX_DECOMPRESSED_BYTES : Math.max(size, 1) });
    return out.length > MAX_DECOMPRESSED_BYTES ? undefined : out;
  } catch {
    return undefined;
  }
}

/** Reads Frame_Content_Size from a zstd frame header (RFC 8878 3.1.1.1). */
function frameContentSize(frame: Uint8Array): number | 'unknown' | 'invalid' {
  if (frame.length < 6) return 'invalid';
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== FRAME_MAGIC) return 'invalid';
  const descriptor = frame[4];
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictIdBytes = [0, 1, 2, 4][descriptor & 3];
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) return 'unknown';
  const at = 5 + (singleSegment ? 0 : 1) + dictIdBytes;
  if (frame.length < at + fcsBytes) return 'invalid';
  switch (fcsBytes) {
    case 1:
      return frame[at];
    case 2:
      return view.getUint16(at, true) + 256;
    case 4:
      return view.getUint32(at, true);
    default: {
      const big = view.getBigUint64(at, true);
      return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
    }
  }
}
