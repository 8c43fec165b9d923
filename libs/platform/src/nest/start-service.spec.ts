import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import type { Database } from '../database';
import { Edge } from '../edge/edge';
import { textReply } from '../edge/reply';
import { createLogger } from '../logger';
import { eventually } from '../testing';
import { DATABASE, ServiceHost, startService, type ServiceOptions } from './index';

const events: string[] = [];

@Injectable()
class Greeter implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    edge: Edge,
    private readonly host: ServiceHost,
    @Inject(DATABASE) private readonly db: Database,
  ) {
    edge.route({ method: 'GET', path: '/greet', handle: async () => textReply(200, String((await this.db.query<{ n: number }>('SELECT 41 + 1 AS n')).rows[0]!.n)) });
  }

  onApplicationBootstrap(): void {
    events.push(`bootstrap: edge listening=${this.host.edge!.listening}`);
  }

  beforeApplicationShutdown(): void {
    events.push(`stop taking work: ready=${!this.host.health.isShuttingDown}, edge listening=${this.host.edge!.listening}`);
  }

  async onApplicationShutdown(): Promise<void> {
    events.push(`flush: edge listening=${this.host.edge!.listening}`);
    // Storage is still open while providers flush.
    await this.db.query('SELECT 1');
    this.host.track('probe', async () => events.push('storage closed'));
  }
}

@Module({ providers: [Greeter] })
class GreeterModule {}

function options(port = 0): ServiceOptions {
  return {
    name: 'host-test',
    logger: createLogger('host-test', { level: 'silent' }),
    edge: { host: '127.0.0.1', port, maxBodyBytes: 1024 },
    ops: { host: '127.0.0.1', port: 0 },
    database: {},
  };
}

describe('startService', () => {
  beforeEach(() => (events.length = 0));

  it('binds before providers bootstrap, serves routes and ops, and stops in order', async () => {
    const service = await startService(options(), GreeterModule);
    const { edge, ops } = service.host;
    expect(events).toEqual(['bootstrap: edge listening=true']);
    expect(await (await fetch(`${edge!.url}/greet`)).text()).toBe('42');
    // Ops routes live on their own port only.
    expect((await fetch(`${edge!.url}/healthz`)).status).toBe(404);
    expect((await fetch(`${ops!.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${ops!.url}/metrics`)).text();
    expect(metrics).toContain('http_requests_total{route="/greet",method="GET",status="200"');
    // Every service says which release it runs; its database tells how long statements waited.
    expect(metrics).toMatch(/^starling_build_info\{version="[^"]+"\} 1$/m);
    expect(metrics).toMatch(/^db_pool_wait_seconds_count [1-9]/m);
    // No Redis here: no Redis series either.
    expect(metrics).not.toContain('redis_command_duration_seconds');

    await service.close();
    expect(events).toEqual([
      'bootstrap: edge listening=true',
      'stop taking work: ready=false, edge listening=true',
      'flush: edge listening=false',
      'storage closed',
    ]);
    expect(ops!.listening).toBe(false);
    await service.close(); // a second close is a no-op
  });

  it('closes what it opened when start fails half-way', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    let opened: Database | undefined;
    @Injectable()
    class Spy {
      constructor(@Inject(DATABASE) db: Database) {
        opened = db;
      }
    }
    @Module({ providers: [Spy] })
    class SpyModule {}
    await expect(startService(options(port), SpyModule)).rejects.toThrow(/EADDRINUSE/);
    expect(opened).toBeDefined();
    await expect(opened!.query('SELECT 1')).rejects.toThrow();
    taken.close();
  });

  it('closes what a provider opens after another provider failed the start', async () => {
    let closed = false;
    const late = {
      provide: 'late',
      inject: [ServiceHost],
      useFactory: async (host: ServiceHost) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        host.track('late', async () => (closed = true));
      },
    };
    const failing = { provide: 'failing', useFactory: async () => Promise.reject(new Error('bad key')) };
    @Module({ providers: [late, failing] })
    class RaceModule {}
    await expect(startService(options(), RaceModule)).rejects.toThrow('bad key');
    await eventually(() => expect(closed).toBe(true), 5_000);
  });
});
