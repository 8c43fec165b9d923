// Every route against malformed input, as an attacker would send it (issue 15): wrong types, bad
// base64, huge numbers, deep JSON, odd ids, bodies where none belong, as the global admin (who gets
// furthest into each route) and anonymously, directly and through onion requests. Every answer is
// a 4xx or a success, never a 5xx; nothing is logged at error level; the server answers a valid
// request afterwards.
import { capturingLogger, ERROR_LEVEL, expectJson, forEachBackend, type Harness, type TestUser } from './helpers';
import { onionV4 } from './onion-client';

const SID = `15${'ab'.repeat(32)}`;
const NOT_A_KEY = `05${'00'.repeat(32)}`;
const HUGE = '999999999999999';

/** Every route of the server, with path parameters filled in by `fill`. */
const ROUTES: [string, string][] = [
  ['GET', '/capabilities?required=a,,b,%00'],
  ['GET', '/rooms'],
  ['GET', '/room/test-room'],
  ['PUT', '/room/test-room'],
  ['GET', '/room/test-room/pollInfo/{int}'],
  ['GET', '/room/test-room/messages/since/{int}?limit=-5&t=rrr&reactors=99999999999999999999'],
  ['GET', '/room/test-room/messages/recent?limit=abc'],
  ['GET', '/room/test-room/messages/before/{int}?reactors=-1'],
  ['GET', '/room/test-room/message/{int}'],
  ['POST', '/room/test-room/message'],
  ['PUT', '/room/test-room/message/{int}'],
  ['DELETE', '/room/test-room/message/{int}'],
  ['DELETE', '/room/test-room/all/{sid}'],
  ['DELETE', '/rooms/all/{sid}'],
  ['POST', '/room/test-room/pin/{int}'],
  ['POST', '/room/test-room/unpin/{int}'],
  ['POST', '/room/test-room/unpin/all'],
  ['PUT', '/room/test-room/reaction/{int}/{reaction}'],
  ['DELETE', '/room/test-room/reaction/{int}/{reaction}'],
  ['GET', '/room/test-room/reactors/{int}/{reaction}?limit=1e9'],
  ['POST', '/room/test-room/file'],
  ['GET', '/room/test-room/file/{int}'],
  ['GET', '/room/test-room/file/{int}/..%2F..%2Fetc%2Fpasswd'],
  ['GET', '/room/test-room/permissions'],
  ['GET', '/room/test-room/permissions/{sid}'],
  ['POST', '/room/test-room/permissions/{sid}'],
  ['GET', '/room/test-room/futurePermissions'],
  ['GET', '/room/test-room/futurePermissions/{sid}'],
  ['POST', '/room/test-room/futurePermissions/{sid}'],
  ['POST', '/user/{sid}/moderator'],
  ['POST', '/user/{sid}/ban'],
  ['POST', '/user/{sid}/unban'],
  ['GET', '/inbox'],
  ['GET', '/inbox/since/{int}'],
  ['POST', '/inbox/{sid}'],
  ['DELETE', '/inbox'],
  ['GET', '/outbox'],
  ['GET', '/outbox/since/{int}'],
  ['POST', '/batch'],
  ['POST', '/sequence'],
];

const VALUES: Record<string, string[]> = {
  '{int}': ['0', HUGE],
  '{sid}': [SID, NOT_A_KEY],
  '{reaction}': ['%F0%9F%91%8D', 'abcdefghijklm', '%FF%FE'],
};

/** Bodies of every wrong shape, for the routes that read one (and sent to the others too). */
const BODIES: string[] = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '1e400',
  '[' .repeat(10_000) + ']'.repeat(10_000),
  '{"data":"@@@@","signature":"not base64"}',
  '{"data":"aGk=","signature":"aGk="}',
  '{"data":"aGk=","signature":"' + 'A'.repeat(86) + '==","files":[1e300,-1,"x"],"whisper_to":"nobody","whisper_mods":"yes"}',
  '{"name":{"a":1},"description":7,"image":1.5,"default_read":"no","default_write":2.5}',
  '{"rooms":"*","global":"yes","moderator":"x","admin":[],"visible":{}}',
  '{"rooms":[1,2,{}],"timeout":-1}',
  '{"rooms":["*","test-room"],"timeout":1e308}',
  '{"global":true,"timeout":"soon"}',
  '{"read":"no","write":1e9,"upload":null,"accessible":[],"default_read":true,"read":true}',
  '{"in":1e12,"read":true}',
  '{"in":-5,"write":false}',
  '{"message":"@@"}',
  '[{"method":"GET","path":"/capabilities","headers":{"x":1}}]',
  '[{"method":"TRACE","path":"/"},{"path":7}]',
  '[{"method":"POST","path":"/room/test-room/message","b64":"%%%"}]',
  JSON.stringify(Array.from({ length: 257 }, () => ({ method: 'GET', path: '/capabilities' }))),
];

function* requests(): Generator<[string, string, string]> {
  for (const [method, template] of ROUTES) {
    const placeholders = Object.keys(VALUES).filter((p) => template.includes(p));
    const paths = placeholders.reduce((acc, p) => acc.flatMap((path) => VALUES[p].map((v) => path.replace(p, v))), [template]);
    for (const path of paths) {
      const bodies = method === 'GET' ? [''] : method === 'DELETE' ? ['', '{"unexpected":"body"}'] : BODIES;
      for (const body of bodies) yield [method, path, body];
    }
  }
}

const { logger, lines } = capturingLogger();

forEachBackend(
  'hostile input',
  (h) => {
    let admin: TestUser;
    beforeAll(async () => {
      admin = h().newUser();
      await h().admin.addModerator(admin.id, null, { admin: true });
      await h().postMessage(admin); // message 1 and a reaction target exist
    });

    const send = (hh: Harness, method: string, path: string, body: string, user: TestUser | null) =>
      hh.request(method, path, user, { body, headers: body ? { 'content-type': 'application/json' } : {} });

    it('answers hundreds of malformed direct requests with a 4xx or a success, never a 5xx', async () => {
      const all = [...requests()];
      expect(all.length).toBeGreaterThanOrEqual(300);
      const failures: string[] = [];
      for (const [method, path, body] of all) {
        for (const user of [admin, null]) {
          const res = await send(h(), method, path, body, user);
          if (res.status >= 500) failures.push(`${method} ${path} ${body.slice(0, 60)} → ${res.status}`);
        }
      }
      expect(failures).toEqual([]);
      expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
      expect(expectJson(await h().get('/capabilities')).capabilities).toContain('sogs');
    }, 300_000);

    it('answers them through onion requests the same way', async () => {
      const all = [...requests()].filter((_, i) => i % 2 === 0); // every other one: the onion layer is the same for all
      const failures: string[] = [];
      for (const [method, path, body] of all) {
        // The endpoint as written: signed as written, so a %-escape makes it a 401, also not a 5xx.
        const reply = await onionV4(h(), method, path, admin, body ? Buffer.from(body) : undefined);
        if (reply.code >= 500) failures.push(`${method} ${path} ${body.slice(0, 60)} → ${reply.code}`);
      }
      expect(failures).toEqual([]);
      expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
      expect((await onionV4(h(), 'GET', '/capabilities', null)).code).toBe(200);
    }, 300_000);
  },
  { logger },
);
