import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '@starling/platform';
import { checkAudioInput, FRAME_SAMPLES, parseAudioInput, SAMPLE_RATE, startAudioSource, toneSource } from './audio-source';
import { analyseTone } from './spectrum';
import { WavWriter } from './wav';

const dir = mkdtempSync(join(tmpdir(), 'starling-audio-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frames(read: (frame: Int16Array) => void, count: number): Int16Array {
  const out = new Int16Array(count * FRAME_SAMPLES);
  for (let i = 0; i < count; i++) read(out.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES));
  return out;
}

describe('audio sources', () => {
  it('parses --audio', () => {
    expect(parseAudioInput('tone:440')).toEqual({ kind: 'tone', hz: 440 });
    expect(parseAudioInput('tone:261.63')).toEqual({ kind: 'tone', hz: 261.63 });
    expect(() => parseAudioInput('tone:5')).toThrow('between 20 and 20000 Hz');
    expect(() => parseAudioInput('tone:loud')).toThrow('needs a number');
    expect(() => parseAudioInput(join(dir, 'missing.wav'))).toThrow('cannot read');
  });

  it('makes a tone whose phase runs on from frame to frame', () => {
    const samples = frames(toneSource(440).read, 150);
    expect(Math.abs(analyseTone(samples, SAMPLE_RATE).hz - 440)).toBeLessThan(0.5);
    expect(samples.reduce((max, v) => Math.max(max, v), 0)).toBeGreaterThan(16_000);
  });

  it('decodes a sound file at another rate to 48 kHz, looping it', async () => {
    const path = join(dir, 'tone-44k.wav');
    const wav = new WavWriter(path, 44_100);
    wav.write(Int16Array.from({ length: 22_050 }, (_, n) => Math.round(10_000 * Math.sin((2 * Math.PI * 1000 * n) / 44_100))));
    wav.close();
    const input = parseAudioInput(path);
    await checkAudioInput(input);
    const source = startAudioSource(input);
    try {
      // ffmpeg needs a moment: until then the source gives silence.
      await eventually(() => expect(frames(source.read, 1).some((v) => v !== 0)).toBe(true), { timeoutMs: 10_000, intervalMs: 20 });
      const samples = frames(source.read, 150); // 3 s from a 0.5 s file
      expect(Math.abs(analyseTone(samples, SAMPLE_RATE).hz - 1000)).toBeLessThan(2);
    } finally {
      await source.close();
    }
  });

  it('refuses a file without sound before the call', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a sound');
    await expect(checkAudioInput(parseAudioInput(path))).rejects.toThrow(`cannot read audio from ${path}`);
  });
});
