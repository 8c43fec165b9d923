import { HANGUP_CONTROL, readControl, videoControl } from './call-controls';

describe('call controls on the data channel', () => {
  it('writes and reads what the apps send', () => {
    expect(videoControl(false)).toBe('{"video":false}');
    expect(HANGUP_CONTROL).toBe('{"hangup":true}');
    expect(readControl(videoControl(true))).toEqual({ kind: 'video', on: true });
    expect(readControl('{"video":false}')).toEqual({ kind: 'video', on: false });
    expect(readControl(HANGUP_CONTROL)).toEqual({ kind: 'hangup' });
  });

  it('leaves everything else to the stream', () => {
    for (const other of ['eof', 'eof-ack', '{not json', '{"other":1}', 'null', Buffer.from('{"video":true}')]) expect(readControl(other)).toBeUndefined();
  });
});
