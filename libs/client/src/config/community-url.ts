// A community as the configs key it (libsession community.cpp): the canonical base URL
// (lower-case scheme and host, no default port, no path) and the lower-case room token; the
// room's own capitalization is kept separately as its name.

export const BASE_URL_MAX_LENGTH = 267;
export const ROOM_MAX_LENGTH = 64;

export function canonicalBaseUrl(url: string): string {
  const m = /^([a-zA-Z]+):\/\/(.*)$/.exec(url);
  const scheme = m?.[1].toLowerCase();
  if (!m || (scheme !== 'http' && scheme !== 'https')) throw new RangeError('Invalid community URL: invalid/missing protocol://');
  let rest = m[2];
  let host = '';
  let allowDot = false;
  let hasDot = false;
  while (rest.length > 0) {
    const c = rest[0];
    if (/[0-9a-z-]/.test(c)) {
      host += c;
      allowDot = true;
    } else if (/[A-Z]/.test(c)) {
      host += c.toLowerCase();
      allowDot = true;
    } else if (allowDot && c === '.') {
      host += '.';
      hasDot = true;
      allowDot = false;
    } else break;
    rest = rest.slice(1);
  }
  if (host.length < 4 || !hasDot || host.endsWith('.')) throw new RangeError('Invalid community URL: invalid hostname');
  let port = 0;
  const portMatch = /^:([0-9]+)/.exec(rest);
  if (rest.startsWith(':')) {
    if (!portMatch || Number(portMatch[1]) > 65535) throw new RangeError('Invalid community URL: invalid port');
    port = Number(portMatch[1]);
    rest = rest.slice(portMatch[0].length);
    if ((port === 80 && scheme === 'http') || (port === 443 && scheme === 'https')) port = 0;
  }
  if (rest.startsWith('/')) rest = rest.slice(1);
  if (rest !== '') throw new RangeError('Invalid community URL: found unexpected trailing value');
  const base = `${scheme}://${host}${port ? `:${port}` : ''}`;
  if (base.length > BASE_URL_MAX_LENGTH) throw new RangeError('Invalid community URL: base URL is too long');
  return base;
}

export function canonicalRoom(room: string): string {
  const lower = room.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (lower.length > ROOM_MAX_LENGTH) throw new RangeError('Invalid community room: room token is too long');
  if (lower === '') throw new RangeError('Invalid community room: room token cannot be empty');
  if (!/^[-0-9_a-z]+$/.test(lower)) throw new RangeError('Invalid community URL: room token contains invalid characters');
  return lower;
}
