import { EXPIRATION_TYPE } from '../messaging/session-protos';
import { ALLOWED_TIMERS, expirationFields, formatTimer, parseMode, parseTimer, settingOf } from './disappearing';

describe('disappearing message settings', () => {
  it.each([
    ['5s', 5],
    ['5m', 300],
    ['30m', 1800],
    ['12h', 43200],
    ['1d', 86400],
    ['1w', 604800],
    ['2W', 1209600],
    ['3600', 3600],
  ])('reads timer %s as %i seconds', (text, seconds) => {
    expect(parseTimer(text)).toBe(seconds);
  });

  it.each(['7m', '3w', '0', '-5m', '5 minutes', '', '1.5h'])('refuses timer %j, listing the allowed ones', (text) => {
    expect(() => parseTimer(text)).toThrow(/not one the clients offer.*5s, 10s, 30s, 1m, 5m/);
  });

  it('formats every allowed timer so that it parses back', () => {
    for (const seconds of ALLOWED_TIMERS) expect(parseTimer(formatTimer(seconds))).toBe(seconds);
  });

  it('maps settings to Content fields and back', () => {
    expect(expirationFields({ mode: 'after-send', timerSeconds: 60 })).toEqual({ expirationType: EXPIRATION_TYPE.afterSend, expirationTimer: 60 });
    expect(expirationFields({ mode: 'after-read', timerSeconds: 60 })).toEqual({ expirationType: EXPIRATION_TYPE.afterRead, expirationTimer: 60 });
    expect(expirationFields(undefined)).toEqual({});
    expect(settingOf(EXPIRATION_TYPE.afterRead, 300)).toEqual({ mode: 'after-read', timerSeconds: 300 });
    expect(settingOf(EXPIRATION_TYPE.afterSend, 0)).toBeUndefined();
    expect(settingOf(0, 300)).toBeUndefined();
  });

  it('accepts only the three modes', () => {
    expect(parseMode('off')).toBe('off');
    expect(() => parseMode('after-delete')).toThrow(/off, after-send or after-read/);
  });
});
