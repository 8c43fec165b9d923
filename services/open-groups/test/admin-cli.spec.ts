// The admin command line against the same database the server uses.
import { writeFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { runCli } from '../src/admin/cli';
import { expectJson, forEachBackend, Harness } from './helpers';

const KEY = '5'.repeat(64);

/** Standard output's lines; a non-zero exit rejects with standard error's text. */
async function cli(h: Harness, ...argv: string[]): Promise<string[]> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { db: h.server.db, env: { OPEN_GROUPS_SERVER_KEY: KEY }, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  if (code !== 0) throw Object.assign(new Error(err), { exitCode: code });
  return out.split('\n').filter(Boolean);
}

forEachBackend(
  'admin command line',
  (h) => {
    it('adds, renames, describes, lists and deletes rooms', async () => {
      const [created] = await cli(h(), 'rooms', 'add', 'cli-room', '--name', 'CLI Room', '--description', 'a\\nb');
      expect(created).toBe(`created room cli-room: http://127.0.0.1:8080/cli-room?public_key=${h().server.pubkey}`);
      expect(expectJson(await h().get('/room/cli-room'))).toMatchObject({ name: 'CLI Room', description: 'a\nb' });
      await cli(h(), 'rooms', 'rename', 'cli-room', 'Renamed');
      await cli(h(), 'rooms', 'describe', 'cli-room', '');
      const room = expectJson(await h().get('/room/cli-room'));
      expect(room.name).toBe('Renamed');
      expect(room).not.toHaveProperty('description');
      const listing = await cli(h(), 'rooms', 'list');
      expect(listing.some((l) => l.startsWith('cli-room  "Renamed"'))).toBe(true);
      await expect(cli(h(), 'rooms', 'delete', 'cli-room')).rejects.toThrow('--yes');
      await cli(h(), 'rooms', 'delete', 'cli-room', '--yes');
      expect((await h().get('/room/cli-room')).status).toBe(404);
    });

    it('sets a room image that clients can download', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sogs-cli-'));
      const file = join(dir, 'logo.png');
      writeFileSync(file, Buffer.from([137, 80, 78, 71]));
      await cli(h(), 'rooms', 'set-image', 'room2', file);
      const room = expectJson(await h().get('/room/room2'));
      const img = await h().get(`/room/room2/file/${room.image_id}`);
      expect([...img.body]).toEqual([137, 80, 78, 71]);
      expect(img.headers['content-disposition']).toBe("attachment; filename*=UTF-8''logo.png");
    });

    it('appoints moderators and admins, visible or hidden, per room or global', async () => {
      const mod = h().newUser();
      const gadmin = h().newUser();
      await cli(h(), 'moderators', 'add', mod.id, '--rooms', 'test-room', '--hidden');
      await cli(h(), 'moderators', 'add', gadmin.id, '--global', '--admin');
      expect(expectJson(await h().get('/room/test-room', mod))).toMatchObject({ moderator: true });
      expect(expectJson(await h().get('/room/test-room')).moderators).not.toContain(mod.id);
      expect(expectJson(await h().get('/room/room2', gadmin))).toMatchObject({ global_admin: true, admin: true });
      expect(await cli(h(), 'moderators', 'list')).toContain(`admin ${gadmin.id} global (hidden)`);
      await cli(h(), 'moderators', 'remove', mod.id, '--rooms', 'test-room');
      expect(expectJson(await h().get('/room/test-room', mod))).not.toHaveProperty('moderator');
      await expect(cli(h(), 'moderators', 'add', mod.id)).rejects.toThrow('exactly one');
      await expect(cli(h(), 'moderators', 'add', 'nonsense', '--global')).rejects.toThrow('not a session id');
    });

    it('changes permissions and bans', async () => {
      const user = h().newUser();
      await cli(h(), 'permissions', 'remove', 'w', '--rooms', 'room2', '--users', user.id);
      expect(expectJson(await h().get('/room/room2', user)).write).toBe(false);
      await cli(h(), 'permissions', 'clear', 'w', '--rooms', 'room2', '--users', user.id);
      expect(expectJson(await h().get('/room/room2', user)).write).toBe(true);
      await cli(h(), 'permissions', 'remove', 'u', '--rooms', '*');
      expect(expectJson(await h().get('/room/test-room')).upload).toBe(false);
      await cli(h(), 'permissions', 'add', 'u', '--rooms', '*');
      await cli(h(), 'bans', 'add', user.id, '--global');
      expect((await h().get('/inbox', user)).status).toBe(403);
      await cli(h(), 'bans', 'remove', user.id, '--global');
      expect((await h().get('/inbox', user)).status).toBe(200);
      await expect(cli(h(), 'permissions', 'add', 'x', '--rooms', 'room2')).rejects.toThrow('unknown permission letter');
    });

    it('has --help on every command', async () => {
      const commands = [[], ['rooms'], ['rooms', 'add'], ['rooms', 'list'], ['rooms', 'delete'], ['rooms', 'rename'], ['rooms', 'describe'], ['rooms', 'set-image'],
        ['rooms', 'show'], ['moderators', 'add'], ['moderators', 'remove'], ['moderators', 'list'], ['permissions', 'add'], ['permissions', 'remove'], ['permissions', 'clear'],
        ['bans', 'add'], ['bans', 'remove'], ['bans', 'list'], ['upgrade']];
      for (const cmd of commands) {
        let out = '';
        expect(await runCli([...cmd, '--help'], { db: h().server.db, env: {}, stdout: (t) => (out += t), stderr: () => undefined })).toBe(0);
        expect(out).toContain(`Usage: starling-sogs${cmd.length ? ' ' + cmd.join(' ') : ''}`);
      }
    });
  },
  { serverKeyHex: KEY },
);
