// The push server's client API, transport-neutral: the HTTP edge and the onion v4 handler both
// call handleRequest(method, path, body) and send back {status, headers, body}.
//   POST /subscribe   -> {"success":true,"added"|"updated":true,"message"} or {"error":N,"message"}
//   POST /unsubscribe -> {"success":true,"removed":bool,"message"}          or {"error":N,"message"}
// A JSON array of requests gets an array of answers in the same order. Refusals are HTTP 200, as
// upstream; only an unknown path (404) or method (405) changes the status.
import type { Logger } from '@starling/platform';
import type { PushProvider, ServiceTarget } from '../delivery/provider';
import type { JsonObject } from './request-fields';
import { GENERIC_FAILURE, SubscribeCode, SubscribeError, type SubscribeCodeValue } from './subscribe-error';
import type { SubscriptionStore } from './subscription-store';
import { asRequestObject, checkUnsubscribe, readSubscriber, readSubscription, type SubscribeRequest, type SubscriberRequest } from './subscription-request';

export interface PushResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Upstream's web frontend refuses bodies above this. */
export const MAX_REQUEST_BYTES = 100_000;
const SERVICE_ID_MIN = 32;
const SERVICE_ID_MAX = 999;
const SERVICE_DATA_MAX = 99_999;

type Answer = Record<string, unknown>;

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

  async handleRequest(method: string, path: string, body: Uint8Array | undefined): Promise<PushResponse> {
    const route = path.split('?')[0];
    const subscribe = route === '/subscribe';
    if (!subscribe && route !== '/unsubscribe') return plain(404, 'Not Found');
    if (method.toUpperCase() !== 'POST') return { ...plain(405, 'Method Not Allowed'), headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' } };
    if (!body || body.length === 0) return json(error(SubscribeCode.BAD_INPUT, 'Invalid request: request body missing'));
    if (body.length > MAX_REQUEST_BYTES) return json(error(SubscribeCode.BAD_INPUT, 'Invalid request: request too large'));
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body).toString('utf8'));
    } catch {
      return json(error(SubscribeCode.BAD_INPUT, 'Invalid JSON'));
    }
    if (typeof parsed !== 'object' || parsed === null) {
      return json(error(SubscribeCode.BAD_INPUT, 'Invalid JSON: expected object or array of objects'));
    }
    const handle = (element: unknown) => this.answer(element, subscribe);
    if (!Array.isArray(parsed)) return json(await handle(parsed));
    const answers: Answer[] = [];
    for (const element of parsed) answers.push(await handle(element));
    return json(answers);
  }

  private async answer(element: unknown, subscribe: boolean): Promise<Answer> {
    try {
      const request = asRequestObject(element);
      const subscriber = readSubscriber(request);
      const provider = this.options.providers.get(subscriber.service);
      if (!provider) {
        throw new SubscribeError(SubscribeCode.SERVICE_NOT_AVAILABLE, `${subscriber.service} notification service not currently available`);
      }
      return subscribe ? await this.subscribe(request, subscriber, provider) : await this.unsubscribe(subscriber, provider);
    } catch (err) {
      if (err instanceof SubscribeError) return error(err.code, err.message);
      this.options.logger?.error({ err: (err as Error).message }, 'push request failed');
      return error(SubscribeCode.INTERNAL_ERROR, 'An internal error occurred while processing your request');
    }
  }

  private async subscribe(request: JsonObject, subscriber: SubscriberRequest, provider: PushProvider): Promise<Answer> {
    const subscription = readSubscription(request, subscriber, this.nowSeconds());
    const target = checkedTarget(provider, subscriber.serviceInfo);
    const added = await this.options.store.upsert(subscription, { service: provider.service, ...target });
    this.options.onSubscribed?.(subscription, added);
    return added
      ? { success: true, added: true, message: 'Subscription successful' }
      : { success: true, updated: true, message: 'Resubscription successful' };
  }

  private async unsubscribe(subscriber: SubscriberRequest, provider: PushProvider): Promise<Answer> {
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

/** The provider's reading of service_info, within upstream's bounds on what it may return. */
function checkedTarget(provider: PushProvider, serviceInfo: unknown): ServiceTarget {
  const target = provider.target(serviceInfo);
  const idLength = Buffer.byteLength(target.serviceId, 'utf8');
  if (idLength < SERVICE_ID_MIN || idLength > SERVICE_ID_MAX || (target.serviceData?.length ?? 0) > SERVICE_DATA_MAX) {
    throw new SubscribeError(SubscribeCode.ERROR, GENERIC_FAILURE);
  }
  return target;
}

function error(code: SubscribeCodeValue, message: string): Answer {
  return { error: code, message };
}

/** Session clients compare the content type exactly: no charset. */
function json(value: unknown): PushResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

function plain(status: number, text: string): PushResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(text, 'utf8') };
}
