// The Monitor stream of real storage nodes, over gRPC: every member that stores a new message
// (the entry node and the members it forwarded to) writes one notice to each stream watching the
// account and namespace; duplicates, unwatched namespaces and the catch-up of a member that was
// down write none; a subscription is checked as upstream checks it; an account that leaves the
// node's swarm ends its monitors.
import { monitorSigningText, ready } from '@starling/crypto';
import { SwarmView } from '@starling/membership';
import { eventually } from '@starling/platform';
import { createGrpcClient, swarmstore } from '@starling/proto';
import { TestAccount } from './support/accounts';
import { applyMap, holds, startClusterNode, type ClusterNode } from './support/cluster';

beforeAll(() => ready());

/** One push service's stream to one node, recording everything the node writes. */
class MonitorStream {
  readonly events: swarmstore.MonitorResponse[] = [];
  private readonly client;
  private readonly call;
  private requestId = 0;

  constructor(node: ClusterNode) {
    this.client = createGrpcClient(swarmstore.SwarmStoreServiceService, `127.0.0.1:${node.port}`);
    this.call = this.client.monitor();
    this.call.on('data', (event: swarmstore.MonitorResponse) => this.events.push(event));
    this.call.on('error', () => undefined);
  }

  /** Sends the subscriptions and waits for their outcomes. */
  async subscribe(...subscriptions: swarmstore.MonitorSubscription[]): Promise<swarmstore.MonitorOutcome[]> {
    const requestId = String(++this.requestId);
    this.call.write({ requestId, subscriptions });
    return eventually(() => {
      const result = this.events.find((e) => e.result?.requestId === requestId)?.result;
      expect(result).toBeDefined();
      return result!.outcomes;
    }, 5_000);
  }

  get notices(): swarmstore.MonitorNotice[] {
    return this.events.flatMap((e) => (e.notice ? [e.notice] : []));
  }

  get ended(): swarmstore.MonitorEnded[] {
    return this.events.flatMap((e) => (e.ended ? [e.ended] : []));
  }

  close(): void {
    this.call.end();
    this.client.close();
  }
}

function subscription(account: TestAccount, namespaces: number[], wantData = true, sign = (text: string) => account.sign(text)): swarmstore.MonitorSubscription {
  const t = Math.floor(Date.now() / 1000);
  const accountBytes = Buffer.from(account.sessionId, 'hex');
  return {
    pubkey: Buffer.alloc(0),
    sessionEd25519: Buffer.from(account.ed25519Hex, 'hex'),
    subaccountToken: Buffer.alloc(0),
    subaccountSignature: Buffer.alloc(0),
    namespaces,
    wantData,
    signatureTimestamp: String(t),
    signature: Buffer.from(sign(monitorSigningText(accountBytes, t, wantData, namespaces)), 'base64'),
  };
}

/** An account whose swarm, in `view`, is `swarmId`. */
function accountIn(view: SwarmView, swarmId: bigint): TestAccount {
  for (;;) {
    const account = new TestAccount();
    if (view.swarmOf(Buffer.from(account.sessionId, 'hex')) === swarmId) return account;
  }
}

describe('monitor streams on a three-member swarm', () => {
  let a: ClusterNode, b: ClusterNode, c: ClusterNode, d: ClusterNode;
  let view: SwarmView;
  const streams: MonitorStream[] = [];
  const open = (node: ClusterNode) => {
    const stream = new MonitorStream(node);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    [a, b, c, d] = await Promise.all([startClusterNode(), startClusterNode(), startClusterNode(), startClusterNode()]);
    await applyMap([a, b, c, d], new Map([[0n, [a, b, c]], [1n, [d]]]));
    view = new SwarmView('', [a.member(0n), b.member(0n), c.member(0n), d.member(1n)]);
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all([a, b, c, d].map((n) => n.close()));
  });

  it('every member that stores a new message notifies once, with the data when asked; duplicates and other namespaces do not', async () => {
    const alice = accountIn(view, 0n);
    const [atA, atB, atC] = [open(a), open(b), open(c)];
    expect(await atA.subscribe(subscription(alice, [0], true))).toEqual([{ errcode: 0, error: '' }]);
    expect(await atB.subscribe(subscription(alice, [0], false))).toEqual([{ errcode: 0, error: '' }]);
    expect(await atC.subscribe(subscription(alice, [0], true))).toEqual([{ errcode: 0, error: '' }]);

    const params = alice.storeParams('hello Alice');
    const stored = await b.rpc('store', params);
    expect(stored.status).toBe(200);
    const hash = stored.json.hash as string;
    for (const s of [atA, atB, atC]) await eventually(() => expect(s.notices.map((n) => n.hash)).toEqual([hash]), 5_000);
    const notice = atA.notices[0]!;
    expect(Buffer.from(notice.pubkey).toString('hex')).toBe(alice.sessionId);
    expect(notice).toMatchObject({ namespace: 0, timestampMs: String(params.timestamp), expiryMs: String((params.timestamp as number) + 60_000) });
    expect(Buffer.from(notice.data!).toString()).toBe('hello Alice');
    expect(atB.notices[0]!.data).toBeUndefined();

    // The same message again, and one in a namespace nobody watches; then a marker message that
    // every member stores: each stream's next notice must be the marker.
    expect((await a.rpc('store', params)).status).toBe(200);
    expect((await a.rpc('store', alice.storeParams('unwatched', { namespace: 1 }))).status).toBe(200);
    const marker = (await c.rpc('store', alice.storeParams('marker'))).json.hash as string;
    for (const s of [atA, atB, atC]) await eventually(() => expect(s.notices.map((n) => n.hash)).toEqual([hash, marker]), 5_000);
  });

  it('a member that was down and catches up through the retry queue does not notify', async () => {
    const bob = accountIn(view, 0n);
    await c.takeDown();
    const missed = (await a.rpc('store', bob.storeParams('while c was down'))).json.hash as string;
    await c.bringUp();
    const atC = open(c);
    expect(await atC.subscribe(subscription(bob, [0]))).toEqual([{ errcode: 0, error: '' }]);
    await eventually(async () => expect(await holds(c, missed)).toBeDefined(), 20_000);
    const marker = (await a.rpc('store', bob.storeParams('after catch-up'))).json.hash as string;
    await eventually(() => expect(atC.notices.map((n) => n.hash)).toEqual([marker]), 5_000);
  });

  it('refuses a bad signature and an account of another swarm with upstream codes, after the checks', async () => {
    const carol = accountIn(view, 0n);
    const mallory = new TestAccount();
    const dave = accountIn(view, 1n);
    const atA = open(a);
    const outcomes = await atA.subscribe(subscription(carol, [0], true, (text) => mallory.sign(text)), subscription(dave, [0]), subscription(carol, [2, 1]));
    expect(outcomes).toEqual([
      { errcode: 5, error: 'Signature verification failed' },
      { errcode: 6, error: "Invalid account: this account is not stored by this node's swarm" },
      { errcode: 3, error: 'Invalid n= namespace list: namespaces must be ascending' },
    ]);
  });

  it('ends the monitors of accounts that leave the node\'s swarm', async () => {
    const erin = accountIn(view, 0n);
    const atA = open(a);
    await atA.subscribe(subscription(erin, [0]));
    // a moves to swarm 1; erin's account stays in swarm 0.
    await applyMap([a, b, c, d], new Map([[0n, [b, c]], [1n, [a, d]]]));
    await eventually(() => expect(atA.ended.map((e) => Buffer.from(e.pubkey).toString('hex'))).toEqual([erin.sessionId]), 5_000);
    expect(atA.ended[0]!.errcode).toBe(6);
  });
});
