import { randomBytes } from 'crypto';
import { isVp8Keyframe, packetizeVp8, readVp8Payload, vp8FrameSize, Vp8FrameAssembler, type Vp8Frame } from './vp8-rtp';

/** A key frame header for w x h (RFC 6386 9.1: frame tag, start code, sizes) followed by noise. */
function keyframe(width: number, height: number, bytes = 3000): Buffer {
  const head = Buffer.from([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, width & 0xff, width >> 8, height & 0xff, height >> 8]);
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}
const deltaFrame = (bytes = 800) => Buffer.concat([Buffer.from([0x31]), randomBytes(bytes - 1)]);

/** Packets of frames as a sender would number them. */
function packets(frames: Buffer[], firstSeq = 65530) {
  let seq = firstSeq;
  return frames.flatMap((frame, f) => {
    const payloads = packetizeVp8(frame, f);
    return payloads.map((payload, i) => ({ header: { sequenceNumber: seq++ & 0xffff, timestamp: 1000 + f * 6000, marker: i === payloads.length - 1 }, payload }));
  });
}

function assemble(list: ReturnType<typeof packets>) {
  const frames: Vp8Frame[] = [];
  let asked = 0;
  const assembler = new Vp8FrameAssembler((f) => frames.push(f), () => asked++);
  for (const p of list) assembler.push(p.header, p.payload);
  return { frames, asked, dropped: assembler.dropped };
}

describe('VP8 in RTP', () => {
  it('reads sizes and key frames from the frame header', () => {
    expect(vp8FrameSize(keyframe(640, 360))).toEqual({ width: 640, height: 360 });
    expect(isVp8Keyframe(keyframe(16, 16))).toBe(true);
    expect(isVp8Keyframe(deltaFrame())).toBe(false);
    expect(vp8FrameSize(deltaFrame())).toBeUndefined();
  });

  it('cuts a frame into payloads under the size limit, first marked S=1, with a 15-bit picture id', () => {
    const frame = keyframe(320, 240, 5000);
    const payloads = packetizeVp8(frame, 0x1234, 1100);
    expect(payloads.length).toBe(Math.ceil(5000 / 1096));
    expect(payloads.every((p) => p.length <= 1100)).toBe(true);
    expect(payloads.map((p) => readVp8Payload(p)!.frameStart)).toEqual(payloads.map((_, i) => i === 0));
    expect(payloads[0].subarray(0, 4)).toEqual(Buffer.from([0x90, 0x80, 0x92, 0x34]));
    expect(Buffer.concat(payloads.map((p) => readVp8Payload(p)!.data))).toEqual(frame);
  });

  it('reads the descriptors browsers send (7-bit picture id, TL0PICIDX, KEYIDX) and refuses truncated ones', () => {
    expect(readVp8Payload(Buffer.from([0x90, 0xe0, 0x05, 0x07, 0x20, 0xaa]))).toEqual({ frameStart: true, data: Buffer.from([0xaa]) });
    expect(readVp8Payload(Buffer.from([0x10, 0xbb]))).toEqual({ frameStart: true, data: Buffer.from([0xbb]) });
    expect(readVp8Payload(Buffer.from([0x80]))).toBeUndefined();
    expect(readVp8Payload(Buffer.from([0x90, 0x80]))).toBeUndefined();
  });

  it('puts frames back together across the sequence number wrap, in any packet order within a frame', () => {
    const sent = [keyframe(176, 144), deltaFrame(2500), deltaFrame()];
    const list = packets(sent);
    [list[0], list[1]] = [list[1], list[0]];
    const { frames, asked } = assemble(list);
    expect(frames.map((f) => f.data)).toEqual(sent);
    expect(frames.map((f) => f.keyframe)).toEqual([true, false, false]);
    expect(asked).toBe(0);
  });

  it('drops a frame with a hole and what follows until a key frame, asking once for one', () => {
    const sent = [keyframe(176, 144), deltaFrame(2500), deltaFrame(), deltaFrame(), keyframe(176, 144), deltaFrame()];
    const list = packets(sent);
    const lost = list.findIndex((p) => p.header.timestamp === 1000 + 6000 && !p.header.marker);
    const { frames, asked, dropped } = assemble(list.filter((_, i) => i !== lost));
    expect(frames.map((f) => f.data)).toEqual([sent[0], sent[4], sent[5]]);
    expect(asked).toBe(1);
    expect(dropped).toBe(3);
  });

  it('waits for a first key frame, asking for it', () => {
    const sent = [deltaFrame(), keyframe(176, 144)];
    const { frames, asked } = assemble(packets(sent));
    expect(frames.map((f) => f.data)).toEqual([sent[1]]);
    expect(asked).toBe(1);
  });
});
