import { OnionPaths, subnet24 } from './onion-paths';
import { ServiceNode } from './service-nodes';

const relay = (n: number, ip = `10.0.${n}.1`): ServiceNode => ({
  role: 'relay',
  ed25519: n.toString(16).padStart(64, '0'),
  x25519: n.toString(16).padStart(64, 'f'),
  ip,
  port: 1000 + n,
  swarmId: '18446744073709551615',
});

describe('onion paths', () => {
  it('builds two paths of three relays whose guards passed the test and differ', async () => {
    const tested: string[] = [];
    const paths = new OnionPaths(async (c) => (tested.push(c.ed25519), c.port !== 1001));
    paths.setPool([1, 2, 3, 4, 5, 6, 7].map((n) => relay(n)));
    await paths.getPath();
    expect(paths.current).toHaveLength(2);
    const guards = paths.current.map((p) => p.nodes[0]);
    expect(guards[0].ed25519).not.toBe(guards[1].ed25519);
    for (const g of guards) {
      expect(g.port).not.toBe(1001);
      expect(tested).toContain(g.ed25519);
    }
    for (const p of paths.current) {
      expect(p.nodes).toHaveLength(3);
      expect(new Set(p.nodes.map((n) => n.ed25519)).size).toBe(3);
    }
  });

  it('keeps one node per /24 in a path when the pool allows it', async () => {
    const pool = [relay(1, '10.1.1.1'), relay(2, '10.1.1.2'), relay(3, '10.1.1.3'), relay(4, '10.2.2.1'), relay(5, '10.3.3.1'), relay(6, '10.4.4.1')];
    for (let i = 0; i < 20; i++) {
      const paths = new OnionPaths(async () => true, 3, 1);
      paths.setPool(pool);
      const p = await paths.getPath();
      expect(new Set(p.nodes.map((n) => subnet24(n.ip))).size).toBe(3);
    }
  });

  it('still builds paths on a network where every relay shares one /24 (a local network)', async () => {
    const paths = new OnionPaths(async () => true);
    paths.setPool([1, 2, 3, 4, 5].map((n) => relay(n, '127.0.0.1')));
    const p = await paths.getPath();
    expect(p.nodes).toHaveLength(3);
  });

  it('patches a path that lost a middle relay and drops a path that lost its guard', async () => {
    const paths = new OnionPaths(async () => true);
    paths.setPool([1, 2, 3, 4, 5, 6].map((n) => relay(n, '127.0.0.1')));
    await paths.getPath();
    const [first] = paths.current;
    const middle = first.nodes[1].ed25519;
    paths.dropNode(middle);
    expect(paths.current.flatMap((p) => p.nodes.map((n) => n.ed25519))).not.toContain(middle);
    expect(paths.current.every((p) => p.nodes.length === 3)).toBe(true);
    const guard = paths.current[0].nodes[0].ed25519;
    paths.dropNode(guard);
    expect(paths.current.map((p) => p.nodes[0].ed25519)).not.toContain(guard);
    await paths.getPath();
    expect(paths.current).toHaveLength(2);
  });

  it('drops a guard after three path failures and a middle relay after three strikes', async () => {
    const paths = new OnionPaths(async () => true, 3, 1);
    paths.setPool([1, 2, 3, 4, 5].map((n) => relay(n, '127.0.0.1')));
    const path = await paths.getPath();
    const [guard, middle] = path.nodes.map((n) => n.ed25519);
    paths.reportPathFailure(path);
    paths.reportPathFailure(path);
    expect(paths.current[0].nodes[0].ed25519).toBe(guard);
    paths.reportPathFailure(path);
    expect(paths.current.flatMap((p) => p.nodes.map((n) => n.ed25519))).not.toContain(guard);
    expect(paths.current.flatMap((p) => p.nodes.map((n) => n.ed25519))).not.toContain(middle);
  });

  it('says clearly when no relay passes the guard test', async () => {
    const paths = new OnionPaths(async () => false);
    paths.setPool([1, 2, 3].map((n) => relay(n)));
    await expect(paths.getPath()).rejects.toThrow(/no onion path could be built/);
  });

  it('prefers a path whose guard has not just failed', async () => {
    const paths = new OnionPaths(async () => true);
    paths.setPool([1, 2, 3, 4, 5, 6].map((n) => relay(n, '127.0.0.1')));
    await paths.getPath();
    const avoid = new Set([paths.current[0].nodes[0].ed25519]);
    for (let i = 0; i < 10; i++) expect((await paths.getPath(avoid)).nodes[0].ed25519).toBe(paths.current[1].nodes[0].ed25519);
  });
});
