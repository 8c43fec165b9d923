import { parseJoinUrl } from './join-url';
import { roomFileId, roomFileUrl } from './room-files';

const { server } = parseJoinUrl(`http://127.0.0.1:8080/lobby?public_key=${'ab'.repeat(32)}`);

describe('room file URLs', () => {
  it('names a file of the room on its own server, and reads the id back', () => {
    expect(roomFileUrl(server, 'lobby', 42)).toBe('http://127.0.0.1:8080/room/lobby/file/42');
    expect(roomFileId('http://127.0.0.1:8080/room/lobby/file/42', server, 'lobby')).toBe(42);
    expect(roomFileId('http://127.0.0.1:8080/room/Lobby/file/7/cat.png', server, 'lobby')).toBe(7);
  });

  it.each([
    ['http://127.0.0.1:8081/room/lobby/file/42', /on another server \(127.0.0.1:8081\)/],
    ['https://127.0.0.1:8080/room/lobby/file/42', /on another server/],
    ['http://127.0.0.1:8080/room/other/file/42', /not a file of room "lobby"/],
    ['http://127.0.0.1:8080/file/42', /not a file of room "lobby"/],
    ['http://127.0.0.1:8080/room/lobby/file/x', /not a file of room "lobby"/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, message) => expect(() => roomFileId(url, server, 'lobby')).toThrow(message));
});
