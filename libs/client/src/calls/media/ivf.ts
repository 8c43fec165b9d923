// IVF, the plain container libvpx and ffmpeg use for a VP8 stream: a 32-byte file header, then
// each frame as a 12-byte header (size, 64-bit pts in the header's time base) and its bytes.
// ffmpeg writes it to our stdin/stdout pipes, so it is read incrementally.
export const IVF_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 12;

export interface IvfHeader {
  width: number;
  height: number;
  /** pts are in units of timebaseNum/timebaseDen seconds. */
  timebaseDen: number;
  timebaseNum: number;
}

export interface IvfFrame {
  data: Buffer;
  pts: number;
}

export function ivfHeader(header: IvfHeader): Buffer {
  const out = Buffer.alloc(IVF_HEADER_BYTES);
  out.write('DKIF', 0, 'ascii');
  out.writeUInt16LE(0, 4);
  out.writeUInt16LE(IVF_HEADER_BYTES, 6);
  out.write('VP80', 8, 'ascii');
  out.writeUInt16LE(header.width, 12);
  out.writeUInt16LE(header.height, 14);
  out.writeUInt32LE(header.timebaseDen, 16);
  out.writeUInt32LE(header.timebaseNum, 20);
  return out;
}

export function ivfFrame(frame: IvfFrame): Buffer {
  const head = Buffer.alloc(FRAME_HEADER_BYTES);
  head.writeUInt32LE(frame.data.length, 0);
  head.writeBigUInt64LE(BigInt(frame.pts), 4);
  return Buffer.concat([head, frame.data]);
}

/** Feed it the stream's chunks as they come; it calls back with the header, then each whole frame. */
export class IvfReader {
  private pending: Buffer = Buffer.alloc(0);
  header?: IvfHeader;

  constructor(
    private readonly onFrame: (frame: IvfFrame) => void,
    private readonly onHeader: (header: IvfHeader) => void = () => undefined,
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.header) {
      if (this.pending.length < IVF_HEADER_BYTES) return;
      if (this.pending.toString('ascii', 0, 4) !== 'DKIF' || this.pending.toString('ascii', 8, 12) !== 'VP80') throw new Error('not an IVF stream of VP8');
      const headerBytes = this.pending.readUInt16LE(6);
      this.header = {
        width: this.pending.readUInt16LE(12),
        height: this.pending.readUInt16LE(14),
        timebaseDen: this.pending.readUInt32LE(16),
        timebaseNum: this.pending.readUInt32LE(20),
      };
      this.pending = this.pending.subarray(Math.max(headerBytes, IVF_HEADER_BYTES));
      this.onHeader(this.header);
    }
    while (this.pending.length >= FRAME_HEADER_BYTES) {
      const size = this.pending.readUInt32LE(0);
      if (this.pending.length < FRAME_HEADER_BYTES + size) return;
      const pts = Number(this.pending.readBigUInt64LE(4));
      const data = Buffer.from(this.pending.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + size));
      this.pending = this.pending.subarray(FRAME_HEADER_BYTES + size);
      this.onFrame({ data, pts });
    }
  }
}
