// Admission control at the public edge: a token bucket per client address (shared by every replica
// through Redis when configured) and a cap on requests in progress. The address is only ever used
// as an HMAC input: the bucket key cannot be turned back into an address without the secret,
// which never leaves the relay's memory or configuration.
import { createHmac, randomBytes } from 'crypto';
import { SharedState } from '@starling/platform';

/** Why a request was refused at the edge (relay_admission_rejections_total). */
export const ADMISSION_REJECTIONS = ['rate_limited', 'overloaded'] as const;
export type AdmissionRejection = (typeof ADMISSION_REJECTIONS)[number];

export type Admission = { admitted: true; release: () => void } | { admitted: false; status: 429 | 503; message: string; retryAfterMs?: number; reason: AdmissionRejection };

export interface AdmissionOptions {
  capacity: number;
  refillPerSecond: number;
  maxInFlight: number;
  /** Same on every replica for cluster-wide buckets; random per process otherwise. */
  secret?: string;
}

export class AdmissionControl {
  private inFlight = 0;
  private readonly secret: Buffer;

  constructor(
    private readonly state: SharedState,
    private readonly options: AdmissionOptions,
  ) {
    this.secret = options.secret ? Buffer.from(options.secret, 'utf8') : randomBytes(32);
  }

  get current(): number {
    return this.inFlight;
  }

  async admit(clientAddress: string): Promise<Admission> {
    if (this.inFlight >= this.options.maxInFlight) {
      return { admitted: false, status: 503, message: 'Relay overloaded, try again later', reason: 'overloaded' };
    }
    const bucket = createHmac('sha256', this.secret).update(clientAddress).digest('base64url').slice(0, 22);
    const token = await this.state.takeToken(`bucket:${bucket}`, {
      capacity: this.options.capacity,
      refillPerSecond: this.options.refillPerSecond,
    });
    if (!token.allowed) {
      return { admitted: false, status: 429, message: 'Too many requests, try again later', retryAfterMs: token.retryAfterMs, reason: 'rate_limited' };
    }
    this.inFlight++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (!released) {
          released = true;
          this.inFlight--;
        }
      },
    };
  }
}
