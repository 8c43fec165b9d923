// What every delivery provider (UnifiedPush, FCM, APNs) offers: reading a subscription's
// service_info into a delivery target, and sending one encrypted notice to it.
import { SubscribeCode, SubscribeError, refuse } from '../subscriptions/subscribe-error';

/** The provider's address for a device: a token, or (UnifiedPush) a hash with the endpoint as data. */
export interface ServiceTarget {
  /** Unique per device/app for this service; 32..999 characters (upstream's bounds). */
  serviceId: string;
  serviceData?: Buffer;
}

export interface OutgoingNotice {
  /** nonce || XChaCha20-Poly1305 ciphertext (libs/crypto push-notice). */
  encPayload: Uint8Array;
  /** The stored message's expiry (unix ms): a notice is useless after it. */
  expiryMs: number;
}

/**
 * How one attempt ended. `unregistered`: the device/endpoint is gone, drop its subscriptions.
 * `rejected`: a permanent refusal of this notice. `retry`: try again later (after retryAfterMs
 * when the service said so).
 */
export type SendOutcome =
  | { kind: 'delivered' }
  | { kind: 'unregistered'; detail: string }
  | { kind: 'rejected'; detail: string }
  | { kind: 'retry'; detail: string; retryAfterMs?: number };

export interface PushProvider {
  /** The `service` value subscribers name: 'unifiedpush' | 'firebase' | 'apns'. */
  readonly service: string;
  /** Reads `service_info`; throws SubscribeError with upstream's codes and messages. */
  target(serviceInfo: unknown): ServiceTarget;
  /** One attempt; protocol and network failures are outcomes, not exceptions. */
  send(target: ServiceTarget, notice: OutgoingNotice): Promise<SendOutcome>;
  close(): Promise<void>;
}

/** `service_info.token` as the upstream notifiers read it (a missing key is BAD_INPUT). */
export function serviceInfoString(serviceInfo: unknown, key: string): string {
  if (typeof serviceInfo !== 'object' || serviceInfo === null || Array.isArray(serviceInfo)) {
    throw refuse('Invalid service_info: expected a JSON object');
  }
  const value = (serviceInfo as Record<string, unknown>)[key];
  if (value === undefined) throw new SubscribeError(SubscribeCode.BAD_INPUT, `Error: missing required key '${key}'`);
  if (typeof value !== 'string') throw refuse(`Invalid service_info: '${key}' must be a string`);
  return value;
}

/** The fields every provider's notice carries besides its own envelope. */
export function spnsFields(notice: OutgoingNotice): { enc_payload: string; spns: number } {
  return { enc_payload: Buffer.from(notice.encPayload).toString('base64'), spns: 1 };
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
