// Disappearing messages (client.md 4): a mode and a timer from the fixed list the clients offer.
import { ClientError } from '../network/errors';
import { DisappearingMode, DisappearingSetting } from '../account/account-state';
import { EXPIRATION_TYPE } from '../messaging/session-protos';

/** Timers (seconds) every Session client accepts; 2 weeks is the swarm's longest TTL. */
export const ALLOWED_TIMERS = [5, 10, 30, 60, 300, 1800, 3600, 21600, 43200, 86400, 604800, 1209600] as const;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "5m", "12h", "1d", "2w", "30s" or plain seconds → seconds, if the clients allow that timer. */
export function parseTimer(text: string): number {
  const match = /^(\d+)\s*([smhdw]?)$/i.exec(text.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[(match[2] || 's').toLowerCase()] : NaN;
  if (!(ALLOWED_TIMERS as readonly number[]).includes(seconds)) {
    throw new ClientError(`timer "${text}" is not one the clients offer; use one of ${ALLOWED_TIMERS.map(formatTimer).join(', ')}`, 'input');
  }
  return seconds;
}

export function formatTimer(seconds: number): string {
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

export function parseMode(text: string): DisappearingMode | 'off' {
  if (text === 'off' || text === 'after-send' || text === 'after-read') return text;
  throw new ClientError(`disappearing mode must be off, after-send or after-read, got "${text}"`, 'input');
}

/** Content.expirationType / expirationTimer for a setting (none → not set at all). */
export function expirationFields(setting: DisappearingSetting | undefined): { expirationType?: number; expirationTimer?: number } {
  if (!setting) return {};
  return {
    expirationType: setting.mode === 'after-send' ? EXPIRATION_TYPE.afterSend : EXPIRATION_TYPE.afterRead,
    expirationTimer: setting.timerSeconds,
  };
}

/** The setting a received message carries, if any. */
export function settingOf(expirationType: number | undefined, timerSeconds: number | undefined): DisappearingSetting | undefined {
  if (!timerSeconds) return undefined;
  if (expirationType === EXPIRATION_TYPE.afterSend) return { mode: 'after-send', timerSeconds };
  if (expirationType === EXPIRATION_TYPE.afterRead) return { mode: 'after-read', timerSeconds };
  return undefined;
}
