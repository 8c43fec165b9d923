// Per-client token bucket for direct /storage_rpc/v1 (600 burst, 300/s refill, as upstream).
// The client address is never stored or logged: the bucket key is an HMAC of it under a random
// key that lives only in this process's memory, so even the shared state cannot map it back.
import { createHmac, randomBytes } from 'crypto';
import type { SharedState } from '@starling/platform';

export class ClientRateLimit {
  private readonly key = randomBytes(32);

  constructor(
    private readonly state: SharedState,
    private readonly capacity: number,
    private readonly refillPerSecond: number,
  ) {}

  /** True when the client may make one more request now. */
  async allow(clientAddress: string | undefined): Promise<boolean> {
    const bucket = createHmac('sha256', this.key).update(clientAddress ?? 'unknown').digest('base64url');
    const res = await this.state.takeToken(`rl:${bucket}`, { capacity: this.capacity, refillPerSecond: this.refillPerSecond });
    return res.allowed;
  }
}
