import { blind15Id, fromHex, generateIdentity, ready } from '@starling/crypto';
import { encodePost } from '../communities/community-message';
import { describeRow, durationSeconds } from './commands/community-commands';

const SERVER = fromHex('a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238', 32);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

beforeAll(ready);

describe('community read rows', () => {
  const alice = () => generateIdentity().identity;

  it('shows a post with its sender, time, text, name and reactions, signature checked', () => {
    const a = alice();
    const post = encodePost(a.seed, SERVER, { text: 'hi all', displayName: 'Alice' }, 1);
    const sender = blind15Id(a.seed, SERVER);
    const row = describeRow({
      id: 3, seqno: 9, session_id: sender, posted: 1_700_000_000.25, data: b64(post.data), signature: b64(post.signature),
      reactions: { '👍': { index: 0, count: 2, reactors: [], you: true } },
    });
    expect(row).toEqual({
      id: 3, seqno: 9, kind: 'post', sender, posted_at: 1_700_000_000_250, text: 'hi all', name: 'Alice', signature_valid: true,
      reactions: { '👍': { count: 2, you: true } },
    });
  });

  it('flags a post whose signature is not by its claimed sender', () => {
    const a = alice();
    const mallory = alice();
    const post = encodePost(mallory.seed, SERVER, { text: 'I am Alice' }, 1);
    const row = describeRow({ id: 4, seqno: 10, session_id: blind15Id(a.seed, SERVER), posted: 1, data: b64(post.data), signature: b64(post.signature) });
    expect(row).toMatchObject({ kind: 'post', text: 'I am Alice', signature_valid: false });
  });

  it('shows tombstones, reaction-only updates and undecodable data', () => {
    expect(describeRow({ id: 5, seqno: 11, session_id: '15' + '0'.repeat(64), posted: 2, data: null, deleted: true })).toEqual({
      id: 5, seqno: 11, kind: 'deleted', sender: '15' + '0'.repeat(64), posted_at: 2000,
    });
    expect(describeRow({ id: 6, seqno: 12, reactions: {} })).toEqual({ id: 6, seqno: 12, kind: 'reactions', reactions: {} });
    expect(describeRow({ id: 7, seqno: 13, session_id: '15' + '0'.repeat(64), data: b64(new Uint8Array([0xff, 1])), signature: '' })).toMatchObject({
      kind: 'post', text: undefined, signature_valid: null,
    });
  });
});

describe('durationSeconds', () => {
  it.each([
    ['90', 90],
    ['30m', 1800],
    ['1h', 3600],
    ['2D', 172800],
    ['1w', 604800],
  ])('%s is %d seconds', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  it.each(['', '0', '-1h', '1y', '1.5h', 'soon'])('refuses "%s"', (text) => expect(() => durationSeconds(text)).toThrow(/^not a duration/));
});
