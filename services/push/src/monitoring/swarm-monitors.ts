// Watching the swarms of subscribed accounts (upstream's hivemind): every account with a live
// subscription is subscribed at EVERY storage node of its swarm, one Monitor stream per node, so
// that a node going down loses no notice (the dispatcher drops the repeats). It follows the
// network map: a swarm that gains a member, or an account whose swarm changes, is subscribed at
// the new members; streams to nodes that left are closed. Each account is renewed after a random
// 45-55 minutes (nodes keep a subscription 65), re-read from the database so that an account
// whose subscriptions are all gone is dropped; a stream that broke is opened again and gets every
// subscription of its node.
import type { Logger } from '@starling/platform';
import { MonitorErrorCode, type swarmstore } from '@starling/proto';
import type { MessageNotice } from '../notices/notice-dispatcher';
import type { MonitoredSubscription } from '../subscriptions/subscription-store';
import { messageNotice, monitorSubscription, resubscribeDelayMs } from './monitor-wire';
import type { NodeStreamEvents } from './node-stream';
import type { StorageNode, SwarmMap } from './swarm-map';

/** What the monitors need of a Monitor stream (NodeStream; tests may give their own). */
export interface MonitorStream {
  readonly node: StorageNode;
  open(): void;
  send(subscriptions: ReadonlyArray<{ account: Buffer; subscription: swarmstore.MonitorSubscription }>): void;
  close(): void;
}

export interface SwarmMonitorsOptions {
  /** Live subscriptions of accounts, as monitor requests need them (SubscriptionStore). */
  subscriptions: {
    forMonitoringMany(accounts: readonly Buffer[], nowSeconds: number): Promise<Map<string, MonitoredSubscription[]>>;
    accounts(nowSeconds: number): Promise<Buffer[]>;
  };
  openStream: (node: StorageNode, events: NodeStreamEvents) => MonitorStream;
  dispatch: (notice: MessageNotice) => Promise<unknown>;
  /** Counts refusals by code (metrics). */
  onRefused?: (errcode: number, count: number) => void;
  logger?: Logger;
  now?: () => number;
  random?: () => number;
  /** Delay before a subscription a node refused as "not in my swarm" is sent again (its map may lag ours). */
  wrongSwarmRetryMs?: number;
}

interface Watched {
  account: Buffer;
  /** The swarm it was last subscribed in (undefined before the first map). */
  swarmId: bigint | undefined;
  renewAtMs: number;
}

/** How many times a WRONG_SWARM refusal is retried before waiting for the next renewal. */
const WRONG_SWARM_RETRIES = 5;
const WRONG_SWARM_MEMORY_MS = 10 * 60_000;

export class SwarmMonitors {
  private map: SwarmMap | undefined;
  private readonly streams = new Map<string, MonitorStream>();
  private readonly watched = new Map<string, Watched>();
  /** (node, account) -> WRONG_SWARM refusals retried, forgotten every WRONG_SWARM_MEMORY_MS. */
  private readonly wrongSwarmTries = new Map<string, number>();
  private wrongSwarmSince = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly random: () => number;
  private closed = false;
  /** Sends in progress, so that tests and shutdown can wait for them. */
  private work: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SwarmMonitorsOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get accountCount(): number {
    return this.watched.size;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** WRONG_SWARM refusals waiting to be sent again. */
  get pendingRetries(): number {
    return this.timers.size;
  }

  get hasMap(): boolean {
    return this.map !== undefined;
  }

  /** Resolves when every send started so far is done. */
  async settled(): Promise<void> {
    for (let before; before !== this.work; ) {
      before = this.work;
      await before;
    }
  }

  /** A newer network map: streams follow the nodes, accounts follow their swarms. */
  applyMap(next: SwarmMap): void {
    if (this.closed) return;
    const previous = this.map;
    this.map = next;
    const nodes = new Map(next.nodes().map((n) => [n.ed25519, n]));
    for (const [key, stream] of this.streams) {
      const now = nodes.get(key);
      if (!now || now.grpcAddress !== stream.node.grpcAddress || now.swarmId !== stream.node.swarmId) this.closeStream(key);
    }
    // Accounts whose swarm changed, or whose swarm gained members, are subscribed at the new ones.
    const newcomers = new Map<string, Buffer[]>();
    for (const entry of this.watched.values()) {
      const swarmId = next.swarmOf(entry.account);
      const before = new Set(previous && entry.swarmId !== undefined ? previous.members(entry.swarmId).map((n) => n.ed25519) : []);
      entry.swarmId = swarmId;
      for (const member of next.members(swarmId)) {
        if (before.has(member.ed25519) && this.streams.has(member.ed25519)) continue;
        newcomers.set(member.ed25519, [...(newcomers.get(member.ed25519) ?? []), entry.account]);
      }
    }
    const watchedSwarms = new Set([...this.watched.values()].map((w) => w.swarmId));
    for (const [key, stream] of this.streams) if (!watchedSwarms.has(stream.node.swarmId)) this.closeStream(key);
    for (const [key, accounts] of newcomers) {
      const node = nodes.get(key)!;
      // A stream opened now sends everything of its node by itself.
      if (this.streams.has(key)) this.track(this.sendTo([node], accounts));
      else this.openStream(node);
    }
  }

  /** Starts (or renews) watching accounts at every member of their swarms. */
  watch(accounts: readonly Buffer[]): Promise<void> {
    if (this.closed || accounts.length === 0) return Promise.resolve();
    for (const account of accounts) {
      const key = account.toString('hex');
      const entry = this.watched.get(key);
      if (entry) entry.renewAtMs = this.renewAt();
      else this.watched.set(key, { account, swarmId: this.map?.swarmOf(account), renewAtMs: this.renewAt() });
    }
    const map = this.map;
    if (!map) return Promise.resolve(); // the first map subscribes them
    const bySwarm = new Map<bigint, Buffer[]>();
    for (const account of accounts) {
      const swarmId = this.watched.get(account.toString('hex'))?.swarmId;
      if (swarmId !== undefined) bySwarm.set(swarmId, [...(bySwarm.get(swarmId) ?? []), account]);
    }
    const sends: Promise<void>[] = [];
    for (const [swarmId, inSwarm] of bySwarm) {
      const members = map.members(swarmId);
      const open = members.filter((n) => this.streams.has(n.ed25519));
      for (const node of members) if (!this.streams.has(node.ed25519)) this.openStream(node);
      sends.push(this.sendTo(open, inSwarm));
    }
    return this.track(Promise.all(sends).then(() => undefined));
  }

  /** Renews the accounts whose time has come (call every few seconds or minutes). */
  renewDue(): Promise<void> {
    const now = this.now();
    if (now - this.wrongSwarmSince > WRONG_SWARM_MEMORY_MS) {
      this.wrongSwarmTries.clear();
      this.wrongSwarmSince = now;
    }
    const due = [...this.watched.values()].filter((w) => w.renewAtMs <= now).map((w) => w.account);
    return this.watch(due);
  }

  /**
   * Compares the stored accounts with the watched ones: new ones (subscribed through another
   * replica) are watched, gone ones dropped.
   */
  async rescan(): Promise<void> {
    const stored = await this.options.subscriptions.accounts(Math.floor(this.now() / 1000));
    const keys = new Set(stored.map((a) => a.toString('hex')));
    for (const key of [...this.watched.keys()]) if (!keys.has(key)) this.watched.delete(key);
    await this.watch(stored.filter((a) => !this.watched.has(a.toString('hex'))));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const key of [...this.streams.keys()]) this.closeStream(key);
  }

  private renewAt(): number {
    return this.now() + resubscribeDelayMs(this.random);
  }

  private openStream(node: StorageNode): void {
    const events: NodeStreamEvents = {
      opened: () => this.track(this.sendTo([node], this.accountsIn(node.swarmId))),
      notice: (n) => this.onNotice(n),
      ended: () => undefined, // the map that moved the account follows; applyMap subscribes it there
      refused: (refusals) => this.onRefused(node, refusals),
    };
    const stream = this.options.openStream(node, events);
    this.streams.set(node.ed25519, stream);
    stream.open();
  }

  private closeStream(key: string): void {
    this.streams.get(key)?.close();
    this.streams.delete(key);
  }

  private accountsIn(swarmId: bigint): Buffer[] {
    return [...this.watched.values()].filter((w) => w.swarmId === swarmId).map((w) => w.account);
  }

  /** Reads the accounts' live subscriptions once and sends them to each node; drops accounts with none. */
  private async sendTo(nodes: readonly StorageNode[], accounts: readonly Buffer[]): Promise<void> {
    if (nodes.length === 0 || accounts.length === 0) return;
    const live = await this.options.subscriptions.forMonitoringMany(accounts, Math.floor(this.now() / 1000));
    const subscriptions: Array<{ account: Buffer; subscription: swarmstore.MonitorSubscription }> = [];
    for (const account of accounts) {
      const key = account.toString('hex');
      const subs = live.get(key);
      if (!subs) {
        this.watched.delete(key);
        continue;
      }
      for (const sub of coveringSubscriptions(subs)) subscriptions.push({ account, subscription: monitorSubscription(sub) });
    }
    for (const node of nodes) this.streams.get(node.ed25519)?.send(subscriptions);
  }

  private onNotice(n: swarmstore.MonitorNotice): void {
    const notice = messageNotice(n);
    if (notice) this.track(this.options.dispatch(notice), 'dispatching a notice failed');
  }

  /** A node whose map lags ours refuses an account as not in its swarm: ask again shortly. */
  private onRefused(node: StorageNode, refusals: ReadonlyArray<{ account: Buffer; errcode: number }>): void {
    const counts = new Map<number, number>();
    for (const r of refusals) counts.set(r.errcode, (counts.get(r.errcode) ?? 0) + 1);
    for (const [errcode, count] of counts) this.options.onRefused?.(errcode, count);
    const retry = refusals
      .filter((r) => r.errcode === MonitorErrorCode.WRONG_SWARM)
      .map((r) => r.account)
      .filter((account) => {
        const key = `${node.ed25519}:${account.toString('hex')}`;
        const tries = (this.wrongSwarmTries.get(key) ?? 0) + 1;
        this.wrongSwarmTries.set(key, tries);
        return tries <= WRONG_SWARM_RETRIES;
      });
    if (retry.length === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const stillThere = retry.filter((a) => this.watched.get(a.toString('hex'))?.swarmId === node.swarmId);
      if (this.streams.has(node.ed25519)) this.track(this.sendTo([node], stillThere));
    }, this.options.wrongSwarmRetryMs ?? 2_000);
    timer.unref();
    this.timers.add(timer);
  }

  /** Keeps `settled()` waiting for `work`; a failure is logged, never thrown at the caller. */
  private track(work: Promise<unknown>, failure = 'sending monitor subscriptions failed'): Promise<void> {
    const guarded = work.then(
      () => undefined,
      (err: Error) => void this.options.logger?.error({ err: err.message }, failure),
    );
    const all = Promise.all([this.work, guarded]);
    this.work = all;
    // Finished work is not kept alive by the chain.
    void all.then(() => {
      if (this.work === all) this.work = Promise.resolve();
    });
    return guarded;
  }
}

/**
 * A node keeps one monitor per account and stream, with the union of the namespaces and data if
 * any asked: one subscription per distinct (namespaces, data) has the same effect as all of them.
 * Many devices of one account (the same app on each) thus cost one subscription, not one each.
 * The rows come newest first, so each kept one has the freshest signature.
 */
export function coveringSubscriptions(subs: readonly MonitoredSubscription[]): MonitoredSubscription[] {
  const seen = new Set<string>();
  return subs.filter((sub) => {
    const key = `${sub.wantData ? 1 : 0}:${sub.namespaces.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
