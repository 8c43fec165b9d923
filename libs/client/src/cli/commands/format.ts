// Shared pieces of human output for messages and contacts.
import { DisappearingSetting } from '../../account/account-state';
import { formatTimer } from '../../conversations/disappearing';
import { InboxEntry } from '../../conversations/inbox';

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

/** Text from other people may hold terminal control sequences; show them harmlessly. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\uFFFD');
}

export function formatSetting(setting: DisappearingSetting | null | undefined): string {
  return setting ? `${setting.mode} ${formatTimer(setting.timerSeconds)}` : 'off';
}

export function formatEntry(entry: InboxEntry): string {
  const who = entry.peerName ? `${entry.peer} (${printable(entry.peerName)})` : entry.peer;
  const head = entry.direction === 'in' ? `from ${who}` : `to ${who}`;
  const timer = entry.disappearing ? ` [disappears ${formatSetting(entry.disappearing)}]` : '';
  return `${formatTime(entry.sentAtMs)}  ${head}${timer}\n  ${printable(entry.text).replace(/\n/g, '\n  ')}\n`;
}

export function entryJson(entry: InboxEntry): Record<string, unknown> {
  return {
    hash: entry.hash,
    direction: entry.direction,
    peer: entry.peer,
    peer_name: entry.peerName ?? null,
    sent_at: entry.sentAtMs,
    text: entry.text,
    disappearing: entry.disappearing ? { mode: entry.disappearing.mode, timer_seconds: entry.disappearing.timerSeconds } : null,
    expires_at: entry.expiresAtMs ?? null,
  };
}
