import { Writable } from 'stream';
import { createLogger } from './logger';

/** Captures every line a logger writes, parsed. */
function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

const CLIENT_IP = '203.0.113.77';
const CLIENT_IP6 = '2001:db8::7';

describe('createLogger', () => {
  it('writes JSON lines with the service name and message', () => {
    const { lines, destination } = capture();
    const log = createLogger('entry-relay', { destination, level: 'info' });
    log.info({ hop: 2 }, 'forwarded');
    log.debug('not at info level');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'entry-relay', hop: 2, msg: 'forwarded', level: 30 });
    expect(lines[0]).not.toContain('hostname');
  });

  it('never writes client addresses, headers or bodies, at any depth', () => {
    const { lines, destination } = capture();
    const log = createLogger('open-groups', { destination });
    log.info(
      {
        ip: CLIENT_IP,
        remoteAddress: CLIENT_IP6,
        headers: { 'x-forwarded-for': CLIENT_IP, host: 'sogs.example' },
        'x-forwarded-for': CLIENT_IP,
        'X-Real-IP': CLIENT_IP,
        body: { text: 'secret message' },
        request: { socket: { remoteAddress: CLIENT_IP }, client_ip: CLIENT_IP, rawHeaders: ['X-Forwarded-For', CLIENT_IP] },
        nested: { deeper: { evenDeeper: { ip: CLIENT_IP, remote_address: CLIENT_IP } } },
        list: [{ ip: CLIENT_IP }],
        room: 'lobby',
      },
      'posted',
    );
    log.child({ ip: CLIENT_IP, room: 'lobby' }).warn({ payload: 'message bytes' }, 'child');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(CLIENT_IP);
      expect(line).not.toContain(CLIENT_IP6);
      expect(line).not.toContain('secret message');
      expect(line).not.toContain('message bytes');
      expect(line).not.toMatch(/forwarded-for|headers/i);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ room: 'lobby', nested: { deeper: { evenDeeper: {} } }, list: [{}] });
    expect(JSON.parse(lines[1]!)).toMatchObject({ room: 'lobby', msg: 'child' });
  });

  it('logs a request as method and route template only', () => {
    const { lines, destination } = capture();
    const log = createLogger('file-server', { destination });
    const fakeFastifyRequest = {
      method: 'GET',
      url: '/file/12345?token=abc',
      ip: CLIENT_IP,
      hostname: 'files.example',
      headers: { 'user-agent': 'x', 'x-forwarded-for': CLIENT_IP },
      socket: { remoteAddress: CLIENT_IP },
      routeOptions: { url: '/file/:id' },
    };
    log.info({ req: fakeFastifyRequest, res: { statusCode: 200, headers: { a: 1 } } }, 'request completed');
    const entry = JSON.parse(lines[0]!);
    expect(entry.req).toEqual({ method: 'GET', route: '/file/:id' });
    expect(entry.res).toEqual({ statusCode: 200 });
    expect(lines[0]).not.toContain(CLIENT_IP);
    expect(lines[0]).not.toContain('12345');
  });

  it('keeps error messages, stacks and codes but not bytes', () => {
    const { lines, destination } = capture();
    const log = createLogger('swarm-store', { destination });
    const err = Object.assign(new Error('disk full'), { code: 'ENOSPC', data: Buffer.from('message content') });
    log.error({ err }, 'store failed');
    const entry = JSON.parse(lines[0]!);
    expect(entry.err).toMatchObject({ type: 'Error', message: 'disk full', code: 'ENOSPC', data: '[15 bytes]' });
    expect(entry.err.stack).toContain('disk full');
  });

  it('takes the level from LOG_LEVEL', () => {
    const before = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const { lines, destination } = capture();
      const log = createLogger('registry', { destination });
      log.info('quiet');
      log.warn('loud');
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });
});
