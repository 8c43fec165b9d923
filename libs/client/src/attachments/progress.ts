// What a transfer reports while it runs. An upload or download is one onion request, so there is
// no byte-by-byte progress to show: each phase is reported when it starts and when it is done.
export type TransferPhase = 'encrypt' | 'upload' | 'download' | 'verify' | 'save';

export interface ProgressEvent {
  phase: TransferPhase;
  state: 'start' | 'done';
  /** Bytes the phase works on (plaintext for encrypt/save, the encrypted blob otherwise). */
  bytes: number;
}

export type OnProgress = (event: ProgressEvent) => void;

export const noProgress: OnProgress = () => undefined;
