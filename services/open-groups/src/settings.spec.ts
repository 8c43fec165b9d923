// The typed configuration, in the units the domain uses: where the post rate limit comes from.
import { ConfigError } from '@starling/platform';
import { loadOpenGroupsConfig, roomTokens } from './config';
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
});
