import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '@starling/platform';
import type { IvfFrame, IvfHeader } from './ivf';
import { checkVideoInput, parseVideoInput, startVideoSource } from './video-source';
import { isVp8Keyframe, vp8FrameSize } from './vp8-rtp';

const dir = mkdtempSync(join(tmpdir(), 'starling-video-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('video sources', () => {
  it('parses --video', () => {
    expect(parseVideoInput('test-pattern')).toEqual({ kind: 'test-pattern', width: 640, height: 360 });
    expect(parseVideoInput('test-pattern:320x240')).toEqual({ kind: 'test-pattern', width: 320, height: 240 });
    expect(() => parseVideoInput('test-pattern:321x240')).toThrow('even sizes');
    expect(() => parseVideoInput(join(dir, 'missing.webm'))).toThrow('cannot read');
  });

  it('encodes the test pattern to VP8 at its size, starting on a key frame', async () => {
    const frames: IvfFrame[] = [];
    let header: IvfHeader | undefined;
    const errors: Error[] = [];
    const source = startVideoSource(parseVideoInput('test-pattern:96x64'), (f, h) => (frames.push(f), (header = h)), (e) => errors.push(e));
    try {
      await eventually(() => expect(frames.length).toBeGreaterThanOrEqual(5), { timeoutMs: 15_000, intervalMs: 50 });
    } finally {
      await source.close();
    }
    expect(header).toMatchObject({ width: 96, height: 64 });
    expect(isVp8Keyframe(frames[0].data)).toBe(true);
    expect(vp8FrameSize(frames[0].data)).toEqual({ width: 96, height: 64 });
    expect(frames.slice(1).some((f) => !isVp8Keyframe(f.data))).toBe(true);
    expect(frames.every((f, i) => i === 0 || f.pts > frames[i - 1].pts)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('refuses a file without pictures before the call', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a video');
    await expect(checkVideoInput(parseVideoInput(path))).rejects.toThrow(`cannot read video from ${path}`);
  });
});
