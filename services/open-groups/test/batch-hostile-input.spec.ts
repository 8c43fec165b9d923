// /batch and /sequence against hostile input (issue 15): JSON nested 10,000 deep in a subrequest
// is a 400 with the parser's reason and no error-level log line, directly and through onion v4;
// a batch cannot hold batches or onion requests (refused before anything runs), an onion request
// cannot hold another; one batch's answers are bounded.
import { capturingLogger, ERROR_LEVEL, expectJson, expectText, forEachBackend } from './helpers';
import { MAX_BATCH_ANSWER_BYTES } from '../src/batch/batch.routes';
import { onionV4 } from './onion-client';

const DEEP = 10_000;
const deepJson = () => '['.repeat(DEEP) + ']'.repeat(DEEP);
/** A batch body whose one subrequest carries `json` nested 10,000 deep (written as text: no JS value that deep is built). */
const deepBatch = () => `[{"method":"POST","path":"/room/test-room/message","json":${deepJson()}}]`;
const DEPTH_REFUSAL = 'invalid request: JSON nested deeper than 32 levels';
const NESTING_REFUSAL = 'Invalid batch request: a subrequest cannot be /batch, /sequence or an onion request';

const { logger, lines } = capturingLogger();

forEachBackend(
  'batch hostile input',
  (h) => {
    afterEach(() => {
      // A client's mistake is never an error of the server's.
      expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
    });

    it.each(['/batch', '/sequence'])('answers %s with a subrequest nested 10,000 deep with 400', async (path) => {
      const user = h().newUser();
      for (const who of [null, user]) expectText(await h().request('POST', path, who, { body: deepBatch(), headers: { 'content-type': 'application/json' } }), 400, DEPTH_REFUSAL);
    });

    it('answers the same through an onion request (v4)', async () => {
      for (const path of ['/batch', '/sequence']) {
        const reply = await onionV4(h(), 'POST', path, null, Buffer.from(deepBatch()));
        expect(reply.code).toBe(400);
        expect(Buffer.from(reply.body).toString()).toBe(DEPTH_REFUSAL);
      }
    });

    it.each([
      ['/batch', { method: 'POST', path: '/batch', json: [{ method: 'GET', path: '/capabilities' }] }],
      ['/sequence', { method: 'POST', path: '/sequence', json: [{ method: 'GET', path: '/capabilities' }] }],
      ['/batch, percent-encoded', { method: 'POST', path: '/%62atch', json: [{ method: 'GET', path: '/capabilities' }] }],
      ['an onion request', { method: 'POST', path: '/oxen/v4/lsrpc', b64: 'AAAA' }],
      ['a v3 onion request', { method: 'POST', path: '/loki/v3/lsrpc', b64: 'AAAA' }],
    ])('refuses a batch holding %s before running anything', async (_name, nested) => {
      const poster = h().newUser();
      const before = expectJson(await h().get('/room/room2')).message_sequence;
      const post = { method: 'POST', path: '/room/room2/message', json: { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') } };
      for (const path of ['/batch', '/sequence']) expectText(await h().post(path, poster, [post, nested]), 400, NESTING_REFUSAL);
      expect(expectJson(await h().get('/room/room2')).message_sequence).toBe(before);
    });

    it('refuses an onion request carrying another onion request', async () => {
      const reply = await onionV4(h(), 'POST', '/oxen/v4/lsrpc', null, Buffer.from('another layer'));
      expect(reply.code).toBe(400);
      expect(Buffer.from(reply.body).toString()).toBe('Invalid onion request: it cannot carry another onion request');
      // An onion request carrying a batch is how clients poll: still served.
      const poll = await onionV4(h(), 'POST', '/batch', null, Buffer.from(JSON.stringify([{ method: 'GET', path: '/capabilities' }])));
      expect(poll.code).toBe(200);
    });

    it('stops running subrequests once their answers pass the bound', async () => {
      await h().admin.addRoom('big-room');
      const admin = h().newUser(); // room admins are not rate limited
      await h().admin.addModerator(admin.id, ['big-room'], { admin: true });
      for (let i = 0; i < 8; i++) await h().postMessage(admin, 'big-room', Buffer.alloc(256 * 1024, i));
      const reads = Array.from({ length: 64 }, () => ({ method: 'GET', path: '/room/big-room/messages/recent?limit=8' }));
      const res = await h().post('/batch', null, reads);
      const answers = expectJson(res);
      expect(answers).toHaveLength(64);
      const ran = answers.filter((a: any) => a.code === 200);
      const notRun = answers.filter((a: any) => a.code === 413);
      expect(ran.length + notRun.length).toBe(64);
      expect(notRun.length).toBeGreaterThan(0);
      // Each read answers ~2.7 MB: reads run until their answers pass the bound, then no more.
      const answerSize = Buffer.byteLength(JSON.stringify(ran[0].body));
      expect(ran.length).toBe(Math.floor(MAX_BATCH_ANSWER_BYTES / answerSize) + 1);
      expect(res.body.length).toBeLessThan(MAX_BATCH_ANSWER_BYTES + 4 * 1024 * 1024);
      expect(Buffer.from(notRun[0].body, 'base64').toString()).toBe(`Batch answers passed ${MAX_BATCH_ANSWER_BYTES} bytes: subrequest not run`);
    });
  },
  { logger },
);
