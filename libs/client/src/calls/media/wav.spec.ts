import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readWav, WavWriter } from './wav';

const dir = mkdtempSync(join(tmpdir(), 'starling-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WAV', () => {
  it('writes a header whose sizes match the samples once closed, and reads it back', () => {
    const path = join(dir, 'a.wav');
    const wav = new WavWriter(path, 48_000);
    wav.write(Int16Array.from([1, -2, 3]));
    wav.write(Int16Array.from([32767, -32768]));
    expect(wav.seconds).toBeCloseTo(5 / 48_000);
    wav.close();
    const file = readFileSync(path);
    expect(file.length).toBe(44 + 10);
    expect(file.readUInt32LE(4)).toBe(36 + 10);
    expect(file.readUInt32LE(40)).toBe(10);
    expect(readWav(file)).toEqual({ sampleRate: 48_000, channels: 1, samples: Int16Array.from([1, -2, 3, 32767, -32768]) });
  });

  it('walks past other chunks and refuses what it cannot read', () => {
    const path = join(dir, 'b.wav');
    const wav = new WavWriter(path, 8000, 2);
    wav.write(Int16Array.from([5, 6]));
    wav.close();
    const plain = readFileSync(path);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.alloc(1)]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    writeFileSync(path, withList);
    expect(readWav(readFileSync(path))).toMatchObject({ sampleRate: 8000, channels: 2, samples: Int16Array.from([5, 6]) });
    expect(() => readWav(Buffer.from('RIFF....AVI LIST'))).toThrow('not a WAV file');
    const float = Buffer.from(plain);
    float.writeUInt16LE(3, 20);
    expect(() => readWav(float)).toThrow('only 16-bit PCM');
  });
});
