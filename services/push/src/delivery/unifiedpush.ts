// UnifiedPush (unifiedpush.org server spec SERV_1.x): the subscriber gives an endpoint URL; a
// notice is an HTTP POST of 1..4096 bytes to it. 2xx = accepted; 404/410 = the endpoint is gone;
// 429 = slow down; 400/413 and other 4xx = refused; redirects are not followed; anything else may
// be retried. Bots use the same endpoint as a webhook. Our body is the JSON the apps' FCM data
// carries: {"enc_payload": base64(nonce || ciphertext), "spns": 1}.
import { blake2b, toHex } from '@starling/crypto';
import { Agent, request } from 'undici';
import { AddressRefused, isPublicAddress, publicOnlyLookup } from './address-guard';
import { refuse } from '../subscriptions/subscribe-error';
import { retryAfterMs, serviceInfoString, spnsFields, type OutgoingNotice, type PushProvider, type SendOutcome, type ServiceTarget } from './provider';

/** The spec's limits. */
export const UNIFIEDPUSH_MAX_ENDPOINT = 1000;
export const UNIFIEDPUSH_MAX_MESSAGE = 4096;

export interface UnifiedPushOptions {
  /** Allow endpoints on loopback/private addresses (local network, tests); never in production. */
  allowPrivateAddresses: boolean;
  /** Per attempt, connect to last byte. */
  timeoutMs: number;
  /** Connections kept per endpoint origin. */
  connectionsPerOrigin?: number;
}

export class UnifiedPushProvider implements PushProvider {
  readonly service = 'unifiedpush';
  private readonly agent: Agent;

  constructor(private readonly options: UnifiedPushOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 16,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: options.timeoutMs,
      ...(options.allowPrivateAddresses ? {} : { connect: { lookup: publicOnlyLookup } }),
    });
  }

  target(serviceInfo: unknown): ServiceTarget {
    const endpoint = serviceInfoString(serviceInfo, 'endpoint');
    if (Buffer.byteLength(endpoint) > UNIFIEDPUSH_MAX_ENDPOINT) refuseEndpoint(`longer than ${UNIFIEDPUSH_MAX_ENDPOINT} bytes`);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return refuseEndpoint('not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') refuseEndpoint('expected an http or https URL');
    if (url.username || url.password) refuseEndpoint('credentials are not allowed in the URL');
    if (!this.options.allowPrivateAddresses && isLiteralNonPublic(url.hostname)) refuseEndpoint('the host is not a public address');
    // The endpoint itself can be long and carries the device's secret: the id is its hash.
    return { serviceId: toHex(blake2b(Buffer.from(endpoint, 'utf8'), 32)), serviceData: Buffer.from(endpoint, 'utf8') };
  }

  async send(target: ServiceTarget, notice: OutgoingNotice): Promise<SendOutcome> {
    const endpoint = target.serviceData?.toString('utf8');
    if (!endpoint) return { kind: 'rejected', detail: 'subscription has no endpoint' };
    const body = Buffer.from(JSON.stringify(spnsFields(notice)), 'utf8');
    if (body.length > UNIFIEDPUSH_MAX_MESSAGE) return { kind: 'rejected', detail: 'notice exceeds 4096 bytes' };
    if (!this.options.allowPrivateAddresses && isLiteralNonPublic(new URL(endpoint).hostname)) {
      return { kind: 'rejected', detail: 'endpoint host is not a public address' };
    }
    try {
      const res = await request(endpoint, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          // RFC 8030 headers, which WebPush-capable push servers expect: keep the notice only as
          // long as the message it announces, and wake the device now.
          ttl: String(Math.max(0, Math.floor((notice.expiryMs - Date.now()) / 1000))),
          urgency: 'high',
        },
        body,
      });
      await res.body.dump();
      return classify(res.statusCode, res.headers['retry-after']);
    } catch (err) {
      if (err instanceof AddressRefused || (err as { cause?: unknown }).cause instanceof AddressRefused) {
        return { kind: 'rejected', detail: 'endpoint resolves to a non-public address' };
      }
      return { kind: 'retry', detail: `network: ${(err as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function classify(status: number, retryAfter: string | string[] | undefined): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 404 || status === 410) return { kind: 'unregistered', detail: `endpoint answered ${status}` };
  if (status === 429) {
    const after = retryAfterMs(retryAfter);
    return { kind: 'retry', detail: 'endpoint answered 429', ...(after === undefined ? {} : { retryAfterMs: after }) };
  }
  if (status >= 300 && status < 500) return { kind: 'rejected', detail: `endpoint answered ${status}` };
  return { kind: 'retry', detail: `endpoint answered ${status}` };
}

function isLiteralNonPublic(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || (isIPLiteral(host) && !isPublicAddress(host));
}

function isIPLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

function refuseEndpoint(why: string): never {
  throw refuse(`Invalid UnifiedPush endpoint: ${why}`);
}
