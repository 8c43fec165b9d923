// One hostile request and how its answer is judged. Every surface's generator produces these; the
// suite sends them (directly, or wrapped in onion layers) and collects what went wrong.

export interface HostileCase {
  /** What the case tries, for the failure list ("store: ttl = 1e400"). */
  what: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** How a refusal looks on this route (default: any 4xx). */
  refusal?: RefusalRule;
  /**
   * For onion requests: the answer the client reads inside the HTTP answer (the destination's
   * reply, opened with the layer key). Absent: the HTTP answer is the answer.
   */
  open?: (status: number, body: Buffer) => OpenedAnswer;
  /** Sent first, on its own (a replay needs its original); its answer only has to be no failure of the server. */
  prime?: HostileCase;
  /** A well-formed onion request: only a sealed answer from the destination will do, no path error. */
  expectSealed?: boolean;
}

/** An onion answer as the client reads it: a sealed reply opened, or a path error as it came. */
export interface OpenedAnswer {
  status: number;
  body: Buffer;
  /** The answer came sealed from the destination (HTTP 200); false for a plain path error. */
  sealed: boolean;
}

/**
 * Whether an answer is an acceptable refusal: undefined when it is, else what is wrong with it.
 * `body` is the answer's body as the client reads it (for onion requests: opened).
 */
export type RefusalRule = (status: number, body: Buffer) => string | undefined;

/**
 * A refusal is an error message: at most this long, or at most twice the request that caused it
 * (one that names what it refuses), never more — a refusal must not amplify.
 */
export const MAX_REFUSAL_BYTES = 2048;
export const MAX_REFUSAL_GROWTH = 2;

export function amplification(answerBytes: number, requestBytes: number): string | undefined {
  return answerBytes > Math.max(MAX_REFUSAL_BYTES, MAX_REFUSAL_GROWTH * requestBytes) ? `a ${answerBytes}-byte refusal of a ${requestBytes}-byte request` : undefined;
}

export const anyClientError: RefusalRule = (status) => (status < 400 || status > 499 ? `answered ${status}` : undefined);

/**
 * Batch and sequence answer 200 with one result per subrequest (storage-onion 1.6): a hostile
 * batch is refused when the whole request is a 4xx or every result that ran is one.
 */
export const batchRefusal: RefusalRule = (status, body) => {
  if (status !== 200) return anyClientError(status, body);
  let results: { code?: unknown }[] | undefined;
  try {
    results = (JSON.parse(body.toString('utf8')) as { results?: { code?: unknown }[] }).results;
  } catch {
    return 'a 200 that is not JSON';
  }
  if (!Array.isArray(results) || results.length === 0) return 'a 200 without results';
  const accepted = results.filter((r) => typeof r.code !== 'number' || r.code < 400 || r.code > 499);
  return accepted.length > 0 ? `subrequests answered ${accepted.map((r) => r.code).join(',')}` : undefined;
};

/** A failure of one case on one transport. */
export interface CaseFailure {
  what: string;
  via: string;
  problem: string;
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
