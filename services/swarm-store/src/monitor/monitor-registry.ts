// Who watches which accounts on this node (upstream MQBase `monitoring_`): one entry per
// (account, stream), where a stream is one push service's Monitor call. Renewing on the same
// stream merges the namespaces, ORs want_data and restarts the 65-minute lifetime; an expired
// entry gets nothing and is removed by sweep(). onStored() turns a newly stored message into the
// notices to write to each watching stream, with the data for streams that asked for it.
import { MonitorErrorCode } from '@starling/proto';
import type { StoredMessage } from '../storage/message-store';
import { checkMonitorSubscription, type MonitorSubscriptionInput } from './monitor-subscription';

/** Upstream MONITOR_EXPIRY_TIME. */
export const MONITOR_LIFETIME_MS = 65 * 60_000;

export interface MonitorOutcome {
  /** 0 on success, else MonitorErrorCode. */
  errcode: number;
  error: string;
}

export interface MonitorNotice {
  account: Buffer;
  hash: string;
  namespace: number;
  timestampMs: number;
  expiryMs: number;
  /** Only for streams that asked for data. */
  data?: Buffer;
}

export interface MonitorEnded {
  account: Buffer;
  errcode: number;
  error: string;
}

interface Entry<S> {
  stream: S;
  namespaces: number[];
  wantData: boolean;
  expiresAtMs: number;
}

export interface MonitorRegistryOptions {
  now?: () => number;
  lifetimeMs?: number;
  /** Whether this node's swarm holds an account (the WRONG_SWARM check); every account when absent. */
  isOurs?: (account: Buffer) => boolean;
}

export class MonitorRegistry<S> {
  /** account hex -> entries, one per stream. */
  private readonly byAccount = new Map<string, Array<Entry<S>>>();
  private readonly now: () => number;
  private readonly lifetimeMs: number;

  constructor(private readonly options: MonitorRegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? MONITOR_LIFETIME_MS;
  }

  /** Checks and (re)subscribes each; one outcome per input, in order. */
  subscribe(stream: S, inputs: readonly MonitorSubscriptionInput[]): MonitorOutcome[] {
    const now = this.now();
    return inputs.map((input) => {
      const check = checkMonitorSubscription(input, now, this.options.isOurs);
      if (!check.ok) return { errcode: check.errcode, error: check.error };
      const { account, namespaces, wantData } = check.subscription;
      const key = account.toString('hex');
      const entries = this.byAccount.get(key) ?? [];
      const existing = entries.find((e) => e.stream === stream);
      if (existing) {
        existing.namespaces = mergeAscending(existing.namespaces, namespaces);
        existing.wantData ||= wantData;
        existing.expiresAtMs = now + this.lifetimeMs;
      } else {
        entries.push({ stream, namespaces, wantData, expiresAtMs: now + this.lifetimeMs });
        this.byAccount.set(key, entries);
      }
      return { errcode: 0, error: '' };
    });
  }

  /** The notices for a message this node has just stored for the first time (not a duplicate). */
  onStored(message: StoredMessage): Array<{ stream: S; notice: MonitorNotice }> {
    const entries = this.byAccount.get(message.owner.toString('hex'));
    if (!entries) return [];
    const now = this.now();
    const out: Array<{ stream: S; notice: MonitorNotice }> = [];
    for (const entry of entries) {
      if (entry.expiresAtMs < now || !includes(entry.namespaces, message.namespace)) continue;
      const notice: MonitorNotice = {
        account: message.owner,
        hash: message.hash,
        namespace: message.namespace,
        timestampMs: message.timestampMs,
        expiryMs: message.expiryMs,
        ...(entry.wantData ? { data: message.data } : {}),
      };
      out.push({ stream: entry.stream, notice });
    }
    return out;
  }

  /** Removes expired entries; returns how many. */
  sweep(): number {
    const now = this.now();
    return this.removeWhere((_account, entry) => entry.expiresAtMs < now).length;
  }

  /** The stream ended: everything subscribed on it goes. */
  closeStream(stream: S): number {
    return this.removeWhere((_account, entry) => entry.stream === stream).length;
  }

  /**
   * After a swarm change: stops watching accounts this node no longer holds and says so to each
   * stream that watched them, so that the push service subscribes at the new swarm.
   */
  dropForeign(stillOurs: (account: Buffer) => boolean): Array<{ stream: S; ended: MonitorEnded }> {
    return this.removeWhere((account) => !stillOurs(account)).map(({ account, entry }) => ({
      stream: entry.stream,
      ended: { account, errcode: MonitorErrorCode.WRONG_SWARM, error: "this account is no longer stored by this node's swarm" },
    }));
  }

  /** (account, stream) entries held, for metrics. */
  get size(): number {
    let n = 0;
    for (const entries of this.byAccount.values()) n += entries.length;
    return n;
  }

  private removeWhere(test: (account: Buffer, entry: Entry<S>) => boolean): Array<{ account: Buffer; entry: Entry<S> }> {
    const removed: Array<{ account: Buffer; entry: Entry<S> }> = [];
    for (const [key, entries] of this.byAccount) {
      const account = Buffer.from(key, 'hex');
      const kept = entries.filter((entry) => {
        if (!test(account, entry)) return true;
        removed.push({ account, entry });
        return false;
      });
      if (kept.length === 0) this.byAccount.delete(key);
      else if (kept.length !== entries.length) this.byAccount.set(key, kept);
    }
    return removed;
  }
}

/** Sorted union without duplicates. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

/** Binary search in an ascending list. */
function includes(sorted: readonly number[], value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
