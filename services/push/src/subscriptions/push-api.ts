// The push server's client API, transport-neutral: the HTTP routes and the onion v4 endpoint both
// call subscribe(body) / unsubscribe(body) and send the answer back as JSON (always HTTP 200, as
// upstream; the status lives in the answer):
//   /subscribe   -> {"success":true,"added"|"updated":true,"message"} or {"error":N,"message"}
//   /unsubscribe -> {"success":true,"removed":bool,"message"}          or {"error":N,"message"}
// A JSON array of requests gets an array of answers in the same order.
import { parseJson, type Logger } from '@starling/platform';
import type { PushProvider, ServiceTarget } from '../delivery/provider';
import type { JsonObject } from './request-fields';
import { GENERIC_FAILURE, refuse, SubscribeCode, SubscribeError, type SubscribeCodeValue } from './subscribe-error';
import type { SubscriptionStore } from './subscription-store';
import { asRequestObject, checkUnsubscribe, readSubscriber, readSubscription, type SubscribeRequest, type SubscriberRequest } from './subscription-request';

/** Upstream's web frontend refuses bodies above this. */
export const MAX_REQUEST_BYTES = 100_000;
/**
 * Requests in one array, at most (as a community server's batch). Each gets an answer of its own,
 * so without a bound a 100 KB body of `[0,0,…]` would be answered with 3 MB of refusals, carried
 * back through every hop of the onion path. Real bodies hold one account and its groups.
 */
export const MAX_REQUESTS_PER_BODY = 256;
const SERVICE_ID_MIN = 32;
const SERVICE_ID_MAX = 999;
const SERVICE_DATA_MAX = 99_999;

/** One request's answer. */
export type PushAnswer = Record<string, unknown>;

export interface PushApiOptions {
  store: SubscriptionStore;
  providers: ReadonlyMap<string, PushProvider>;
  /** Unix ms (tests move it). */
  now?: () => number;
  /** After a stored (re)subscription, so that the swarm monitors can pick the account up at once. */
  onSubscribed?: (request: SubscribeRequest, added: boolean) => void;
  logger?: Logger;
}

export class PushApi {
  private readonly now: () => number;

  constructor(private readonly options: PushApiOptions) {
    this.now = options.now ?? Date.now;
  }

  subscribe(body: Uint8Array): Promise<PushAnswer | PushAnswer[]> {
    return this.handle(body, true);
  }

  unsubscribe(body: Uint8Array): Promise<PushAnswer | PushAnswer[]> {
    return this.handle(body, false);
  }

  private async handle(body: Uint8Array, subscribe: boolean): Promise<PushAnswer | PushAnswer[]> {
    if (body.length === 0) return error(SubscribeCode.BAD_INPUT, 'Invalid request: request body missing');
    if (body.length > MAX_REQUEST_BYTES) return error(SubscribeCode.BAD_INPUT, 'Invalid request: request too large');
    const parsed = parseJson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    if (!parsed.ok) return error(SubscribeCode.BAD_INPUT, 'Invalid JSON');
    const value = parsed.value;
    if (typeof value !== 'object' || value === null) {
      return error(SubscribeCode.BAD_INPUT, 'Invalid JSON: expected object or array of objects');
    }
    if (!Array.isArray(value)) return this.answer(value, subscribe);
    if (value.length > MAX_REQUESTS_PER_BODY) return error(SubscribeCode.BAD_INPUT, `Invalid request: more than ${MAX_REQUESTS_PER_BODY} requests`);
    const answers: PushAnswer[] = [];
    for (const element of value) answers.push(await this.answer(element, subscribe));
    return answers;
  }

  private async answer(element: unknown, subscribe: boolean): Promise<PushAnswer> {
    try {
      const request = asRequestObject(element);
      const subscriber = readSubscriber(request);
      const provider = this.options.providers.get(subscriber.service);
      if (!provider) {
        throw new SubscribeError(SubscribeCode.SERVICE_NOT_AVAILABLE, `${subscriber.service} notification service not currently available`);
      }
      return subscribe ? await this.subscribeOne(request, subscriber, provider) : await this.unsubscribeOne(subscriber, provider);
    } catch (err) {
      if (err instanceof SubscribeError) return error(err.code, err.message);
      this.options.logger?.error({ err: (err as Error).message }, 'push request failed');
      return error(SubscribeCode.INTERNAL_ERROR, 'An internal error occurred while processing your request');
    }
  }

  private async subscribeOne(request: JsonObject, subscriber: SubscriberRequest, provider: PushProvider): Promise<PushAnswer> {
    const subscription = readSubscription(request, subscriber, this.nowSeconds());
    const target = checkedTarget(provider, subscriber.serviceInfo);
    const added = await this.options.store.upsert(subscription, { service: provider.service, ...target });
    this.options.onSubscribed?.(subscription, added);
    return added
      ? { success: true, added: true, message: 'Subscription successful' }
      : { success: true, updated: true, message: 'Resubscription successful' };
  }

  private async unsubscribeOne(subscriber: SubscriberRequest, provider: PushProvider): Promise<PushAnswer> {
    const target = checkedTarget(provider, subscriber.serviceInfo);
    checkUnsubscribe(subscriber, this.nowSeconds());
    const removed = await this.options.store.remove(subscriber.key.account, provider.service, target.serviceId);
    return {
      success: true,
      removed,
      message: removed ? 'Device unsubscribed from push notifications' : 'Device was not subscribed to push notifications',
    };
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }
}

/**
 * The provider's reading of service_info, within upstream's bounds on what it may return. The
 * table keeps the service id as text, which cannot hold NUL: such a device token is refused here
 * rather than failing the query (no service issues one).
 */
function checkedTarget(provider: PushProvider, serviceInfo: unknown): ServiceTarget {
  const target = provider.target(serviceInfo);
  const idLength = Buffer.byteLength(target.serviceId, 'utf8');
  if (idLength < SERVICE_ID_MIN || idLength > SERVICE_ID_MAX || (target.serviceData?.length ?? 0) > SERVICE_DATA_MAX) {
    throw new SubscribeError(SubscribeCode.ERROR, GENERIC_FAILURE);
  }
  if (target.serviceId.includes('\u0000')) throw refuse('Invalid token: contains a NUL character');
  return target;
}

function error(code: SubscribeCodeValue, message: string): PushAnswer {
  return { error: code, message };
}
