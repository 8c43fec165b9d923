// The route table: typed segments decide whether a route matches at all (a bad id is a 404, as
// upstream's URL converters make it), a known path with another method is told apart (405), and
// metrics see the template, never the path.
import { routeLabel, Router, type RouteDef, type RouteMatch } from './router';

const ok = async () => ({ status: 200, headers: {}, body: new Uint8Array() });
const route = (method: RouteDef['method'], pattern: string, name?: string): RouteDef => ({ method, pattern, handler: ok, ...(name ? { name } : {}) });
const BLINDED = `15${'ab'.repeat(32)}`;
const UNBLINDED = `05${'CD'.repeat(32)}`;

function table(requireBlinding = true): Router {
  const router = new Router(requireBlinding);
  router.add(
    route('GET', '/room/<token:token>'),
    route('PUT', '/room/<token:token>'),
    route('GET', '/room/<token:token>/messages/since/<seqno:int>'),
    route('PUT', '/room/<token:token>/reaction/<id:int>/<reaction:rest>'),
    route('POST', '/inbox/<sid:blindsid>'),
    route('GET', '/room/<token:token>/permissions/<sid:sid>'),
    route('DELETE', '/rooms/all/<sid:anysid>', 'delete-all'),
    route('POST', '/room/<token:token>/unpin/all'),
    route('POST', '/room/<token:token>/unpin/<id:int>'),
  );
  return router;
}

const params = (m: RouteMatch) => ('route' in m ? m.params : undefined);

describe('Router', () => {
  it('matches typed segments and hands their values over', () => {
    const m = table().match('GET', '/room/lobby-1/messages/since/42');
    expect('route' in m && m.route.pattern).toBe('/room/<token:token>/messages/since/<seqno:int>');
    expect(params(m)).toEqual({ token: 'lobby-1', seqno: '42' });
  });

  it('does not match a segment of the wrong type: 404, not 400', () => {
    const router = table();
    expect(router.match('GET', '/room/lobby/messages/since/-1')).toEqual({ allow: [] });
    expect(router.match('GET', '/room/lobby/messages/since/1234567890123456')).toEqual({ allow: [] });
    expect(router.match('GET', '/room/no spaces')).toEqual({ allow: [] });
    expect(router.match('GET', '/room/lobby/extra/segments')).toEqual({ allow: [] });
  });

  it('tells a known path asked with another method (405, with the methods it has) from an unknown one (404)', () => {
    expect(table().match('DELETE', '/room/lobby')).toEqual({ allow: ['GET', 'PUT'] });
    expect(table().match('HEAD', '/room/lobby')).toEqual({ allow: ['GET', 'PUT'] });
    expect(table().match('GET', '/room/lobby/unpin/all')).toEqual({ allow: ['POST'] });
    expect(table().match('GET', '/nowhere')).toEqual({ allow: [] });
  });

  it('takes the rest of the path, slashes and all, for a rest segment', () => {
    expect(params(table().match('PUT', '/room/lobby/reaction/7/a/b'))).toEqual({ token: 'lobby', id: '7', reaction: 'a/b' });
    expect(table().match('PUT', '/room/lobby/reaction/7/')).toEqual({ allow: [] });
  });

  it('routes a literal segment and a typed one side by side', () => {
    expect(table().match('POST', '/room/lobby/unpin/all')).toMatchObject({ route: { pattern: '/room/<token:token>/unpin/all' }, params: { token: 'lobby' } });
    expect(table().match('POST', '/room/lobby/unpin/3')).toMatchObject({ route: { pattern: '/room/<token:token>/unpin/<id:int>' }, params: { token: 'lobby', id: '3' } });
  });

  it('lower-cases session ids and checks their prefix by kind', () => {
    expect(params(table().match('POST', `/inbox/${BLINDED.toUpperCase()}`))).toEqual({ sid: BLINDED });
    expect(table().match('POST', `/inbox/${UNBLINDED}`)).toEqual({ allow: [] });
    expect(params(table().match('DELETE', `/rooms/all/${UNBLINDED}`))).toEqual({ sid: UNBLINDED.toLowerCase() });
    // `sid` follows the server's blinding requirement.
    expect(table(true).match('GET', `/room/x/permissions/${UNBLINDED}`)).toEqual({ allow: [] });
    expect(params(table(false).match('GET', `/room/x/permissions/${UNBLINDED}`))).toEqual({ token: 'x', sid: UNBLINDED.toLowerCase() });
  });

  it('labels a match with its name or template, and a miss as unmatched', () => {
    expect(routeLabel(table().match('GET', '/room/lobby'))).toBe('/room/<token:token>');
    expect(routeLabel(table().match('DELETE', `/rooms/all/${BLINDED}`))).toBe('delete-all');
    expect(routeLabel(table().match('GET', '/nowhere'))).toBe('unmatched');
  });
});
