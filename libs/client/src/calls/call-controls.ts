// What the Session apps say to each other on the call's data channel: a JSON text message
// `{"video":true|false}` when the camera goes on or off (sent again when the channel opens), and
// `{"hangup":true}` just before an END_CALL, which ends the call without waiting for the swarm.
// Muting the microphone is not signalled: the muted side sends silence.
export type CallControl = { kind: 'video'; on: boolean } | { kind: 'hangup' };

export function videoControl(on: boolean): string {
  return JSON.stringify({ video: on });
}

export const HANGUP_CONTROL = JSON.stringify({ hangup: true });

/** The control a data channel message carries, or undefined for anything else (stream bytes, eof). */
export function readControl(message: Buffer | string): CallControl | undefined {
  if (typeof message !== 'string' || !message.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as { video?: unknown; hangup?: unknown };
  // As the apps read it: any hangup field ends the call; video is taken for its truth.
  if (fields.hangup !== undefined) return { kind: 'hangup' };
  if (fields.video !== undefined) return { kind: 'video', on: !!fields.video };
  return undefined;
}
