// WAV (RIFF, 16-bit PCM) written as a call goes: the header's sizes are placeholders until
// close() fills them in, so the file is complete only after close().
import { closeSync, openSync, writeSync } from 'fs';

const HEADER_BYTES = 44;

export class WavWriter {
  private readonly fd: number;
  private dataBytes = 0;

  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels = 1,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, wavHeader(sampleRate, channels, 0));
  }

  write(samples: Int16Array): void {
    const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
    writeSync(this.fd, bytes, 0, bytes.length, HEADER_BYTES + this.dataBytes);
    this.dataBytes += bytes.length;
  }

  get seconds(): number {
    return this.dataBytes / 2 / this.channels / this.sampleRate;
  }

  close(): void {
    writeSync(this.fd, wavHeader(this.sampleRate, this.channels, this.dataBytes), 0, HEADER_BYTES, 0);
    closeSync(this.fd);
  }
}

function wavHeader(sampleRate: number, channels: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
  h.writeUInt16LE(channels * 2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export interface Pcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved samples. */
  samples: Int16Array;
}

/** Reads a 16-bit PCM WAV (walking the chunks, as other writers add LIST and the like). */
export function readWav(file: Buffer): Pcm16 {
  if (file.length < 12 || file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let format: { channels: number; sampleRate: number; bits: number; tag: number } | undefined;
  for (let at = 12; at + 8 <= file.length; ) {
    const id = file.toString('ascii', at, at + 4);
    const size = file.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') format = { tag: file.readUInt16LE(body), channels: file.readUInt16LE(body + 2), sampleRate: file.readUInt32LE(body + 4), bits: file.readUInt16LE(body + 14) };
    if (id === 'data') {
      if (!format || format.tag !== 1 || format.bits !== 16) throw new Error('only 16-bit PCM WAV files are read here');
      const end = Math.min(file.length, body + size);
      const copy = Buffer.from(file.subarray(body, end - ((end - body) % 2)));
      return { sampleRate: format.sampleRate, channels: format.channels, samples: new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2) };
    }
    at = body + size + (size % 2);
  }
  throw new Error('the WAV file has no data chunk');
}
