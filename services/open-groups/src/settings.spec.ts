// The typed configuration, in the units the domain uses: where the post rate limit comes from.
import { ConfigError } from '@starling/platform';
import { initialAdmins, loadOpenGroupsConfig, roomTokens } from './config';
import { serverSettings } from './settings';

describe('server settings', () => {
  it('default to upstream: 5 posts per 16 s, 15-day files and DMs, blinded ids', () => {
    const settings = serverSettings(loadOpenGroupsConfig({}));
    expect(settings).toMatchObject({ postRateLimit: 5, postRateWindowSeconds: 16, fileExpirySeconds: 15 * 86400, dmExpirySeconds: 15 * 86400, requireBlinding: true });
  });

  it('take the post rate limit from OPEN_GROUPS_POST_RATE_LIMIT and _WINDOW', () => {
    const config = loadOpenGroupsConfig({ OPEN_GROUPS_POST_RATE_LIMIT: '3', OPEN_GROUPS_POST_RATE_WINDOW: '1m' });
    expect(serverSettings(config)).toMatchObject({ postRateLimit: 3, postRateWindowSeconds: 60 });
    expect(() => loadOpenGroupsConfig({ OPEN_GROUPS_POST_RATE_LIMIT: '0' })).toThrow(ConfigError);
  });

  it('have an ops port of their own and a list of rooms', () => {
    const config = loadOpenGroupsConfig({ OPEN_GROUPS_OPS_PORT: '9500', OPEN_GROUPS_ROOMS: ' lobby, dev ,,' });
    expect(config.opsPort).toBe(9500);
    expect(roomTokens(config)).toEqual(['lobby', 'dev']);
    expect(loadOpenGroupsConfig({}).opsPort).toBe(9400);
  });

  it('refuse a room token or an initial admin that cannot be, saying what one looks like', () => {
    expect(() => loadOpenGroupsConfig({ OPEN_GROUPS_ROOMS: 'lobby,no spaces' })).toThrow(
      'OPEN_GROUPS_ROOMS: invalid room token "no spaces": use 1 to 64 characters from A-Z, a-z, 0-9, _ and -',
    );
    expect(() => loadOpenGroupsConfig({ OPEN_GROUPS_INITIAL_ADMINS: '05abc' })).toThrow('OPEN_GROUPS_INITIAL_ADMINS: "05abc" is not a session id');
    const admin = `15${'AB'.repeat(32)}`;
    expect(initialAdmins(loadOpenGroupsConfig({ OPEN_GROUPS_INITIAL_ADMINS: ` ${admin} ,` }))).toEqual([admin.toLowerCase()]);
    expect(initialAdmins(loadOpenGroupsConfig({}))).toEqual([]);
  });
});
