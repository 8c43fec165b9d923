import { randomBytes } from 'crypto';
import { ivfFrame, ivfHeader, IvfReader, type IvfFrame, type IvfHeader } from './ivf';

describe('IVF', () => {
  it('reads back what it writes, whatever the chunking', () => {
    const header: IvfHeader = { width: 640, height: 360, timebaseDen: 90_000, timebaseNum: 1 };
    const frames: IvfFrame[] = [0, 3000, 6000, 2 ** 33].map((pts, i) => ({ pts, data: randomBytes(100 + i * 777) }));
    const stream = Buffer.concat([ivfHeader(header), ...frames.map(ivfFrame)]);
    for (const chunk of [1, 7, 1000, stream.length]) {
      const got: IvfFrame[] = [];
      let seen: IvfHeader | undefined;
      const reader = new IvfReader((f) => got.push(f), (h) => (seen = h));
      for (let at = 0; at < stream.length; at += chunk) reader.push(stream.subarray(at, at + chunk));
      expect(seen).toEqual(header);
      expect(got).toEqual(frames);
    }
  });

  it('refuses a stream that is not VP8 in IVF', () => {
    const notVp8 = ivfHeader({ width: 1, height: 1, timebaseDen: 1, timebaseNum: 1 });
    notVp8.write('VP90', 8, 'ascii');
    expect(() => new IvfReader(() => undefined).push(notVp8)).toThrow('not an IVF stream of VP8');
  });
});
