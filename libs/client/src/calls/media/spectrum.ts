// What a recorded tone sounds like, in numbers: its dominant frequency and how far it stands above
// everything else (signal-to-noise ratio). Used to check that a call carried a test tone intact.
import FFT from 'fft.js';

export interface ToneAnalysis {
  /** Frequency of the strongest component, interpolated between FFT bins. */
  hz: number;
  /** Power within ±`bandHz` of that peak against all other power above 20 Hz, in dB. */
  snrDb: number;
}

/**
 * Analyses the middle of `samples` (mono): the largest power-of-two window that fits, Hann
 * weighted, so the resolution is sampleRate / window (0.37 Hz for 2.7 s at 48 kHz).
 */
export function analyseTone(samples: Int16Array | Float32Array, sampleRate: number, bandHz = 10): ToneAnalysis {
  let size = 1;
  while (size * 2 <= samples.length) size *= 2;
  if (size < 1024) throw new Error('too little audio to analyse (fewer than 1024 samples)');
  const start = Math.floor((samples.length - size) / 2);
  const windowed = new Array<number>(size);
  for (let i = 0; i < size; i++) windowed[i] = samples[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  const fft = new FFT(size);
  const spectrum = fft.createComplexArray() as number[];
  fft.realTransform(spectrum, windowed);
  const bins = size / 2;
  const power = new Float64Array(bins);
  for (let k = 0; k < bins; k++) power[k] = spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
  const binHz = sampleRate / size;
  const lowest = Math.ceil(20 / binHz);
  let peak = lowest;
  for (let k = lowest; k < bins; k++) if (power[k] > power[peak]) peak = k;
  // Parabola through the log powers of the peak and its neighbours (Hann window: well within a bin).
  const [a, b, c] = [power[peak - 1], power[peak], power[peak + 1]].map((p) => Math.log(p + 1e-12));
  const offset = peak > lowest && peak < bins - 1 ? (0.5 * (a - c)) / (a - 2 * b + c) : 0;
  const band = Math.ceil(bandHz / binHz);
  let signal = 0;
  let noise = 0;
  for (let k = lowest; k < bins; k++) {
    if (Math.abs(k - peak) <= band) signal += power[k];
    else noise += power[k];
  }
  return { hz: (peak + offset) * binHz, snrDb: 10 * Math.log10(signal / Math.max(noise, 1e-12)) };
}
