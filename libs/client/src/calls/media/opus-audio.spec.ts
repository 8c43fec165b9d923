import { MediaStreamTrack, type RtpPacket } from 'werift';
import { eventually } from '@starling/platform';
import { FRAME_SAMPLES, SAMPLE_RATE, toneSource } from './audio-source';
import { OpusReceiver, OpusSender, opusCbrRequested } from './opus-audio';
import { analyseTone } from './spectrum';

/** A second of a tone as the sender puts it on a track, paced by the clock. */
async function sendTone(hz: number, frames: number, cbr = false): Promise<RtpPacket[]> {
  const track = new MediaStreamTrack({ kind: 'audio' });
  const sent: RtpPacket[] = [];
  track.onReceiveRtp.subscribe((p) => sent.push(p));
  const sender = new OpusSender(track, toneSource(hz), { cbr });
  sender.start();
  await eventually(() => expect(sent.length).toBeGreaterThanOrEqual(frames), { timeoutMs: 10_000, intervalMs: 20 });
  await sender.stop();
  return sent.slice(0, frames);
}

function receive(packets: RtpPacket[]) {
  const pcm: Int16Array[] = [];
  const receiver = new OpusReceiver((p) => pcm.push(p));
  for (const p of packets) receiver.push(p);
  receiver.close();
  return { samples: Int16Array.from(pcm.flatMap((p) => [...p])), frames: pcm.length, decoded: receiver.decoded, concealed: receiver.concealed };
}

let tone: RtpPacket[];
beforeAll(async () => {
  tone = await sendTone(440, 60);
});

describe('Opus in RTP', () => {
  it('numbers 20 ms frames on the 48 kHz clock, marking the first', () => {
    const seqs = tone.map((p) => p.header.sequenceNumber);
    expect(seqs.every((s, i) => i === 0 || s === ((seqs[i - 1] + 1) & 0xffff))).toBe(true);
    expect(tone.every((p, i) => i === 0 || p.header.timestamp === ((tone[i - 1].header.timestamp + FRAME_SAMPLES) >>> 0))).toBe(true);
    expect(tone.map((p) => p.header.marker)).toEqual(tone.map((_, i) => i === 0));
  });

  it('decodes the tone it was given', () => {
    const { samples, decoded } = receive(tone);
    expect(decoded).toBe(60);
    expect(samples.length).toBe(60 * FRAME_SAMPLES);
    const heard = analyseTone(samples, SAMPLE_RATE);
    expect(Math.abs(heard.hz - 440)).toBeLessThan(2);
    expect(heard.snrDb).toBeGreaterThan(20);
  });

  it('puts reordered packets back in order, drops late duplicates, conceals a lost packet with silence', () => {
    const inOrder = receive(tone).samples;
    const swapped = [...tone];
    [swapped[10], swapped[11]] = [swapped[11], swapped[10]];
    expect(receive([...swapped, tone[5]]).samples).toEqual(inOrder);

    const lossy = receive(tone.filter((_, i) => i !== 20));
    expect([lossy.decoded, lossy.concealed, lossy.frames]).toEqual([59, 1, 60]);
    expect(lossy.samples.subarray(20 * FRAME_SAMPLES, 21 * FRAME_SAMPLES).every((v) => v === 0)).toBe(true);
  });

  it('keeps every packet the same size at constant bitrate', async () => {
    const cbr = await sendTone(1000, 20, true);
    expect(new Set(cbr.slice(1).map((p) => p.payload.length)).size).toBe(1);
  });

  it('reads whether an SDP asks for constant bitrate on its Opus payload type', () => {
    expect(opusCbrRequested('a=rtpmap:109 opus/48000/2\r\na=fmtp:109 minptime=10;cbr=1\r\n')).toBe(true);
    expect(opusCbrRequested('a=rtpmap:109 opus/48000/2\r\na=fmtp:109 minptime=10;useinbandfec=1\r\na=fmtp:110 cbr=1')).toBe(false);
    expect(opusCbrRequested(undefined)).toBe(false);
  });
});
