// What a POST /user/:sid/moderator body asks for, and what POST /room/:token/permissions/:sid sets.
import { BadInput } from '../domain/errors';
import { roleChange } from './moderation.routes';
import { permissionValues } from './permissions.routes';

describe('roleChange', () => {
  it.each([
    [{ moderator: true }, { moderator: true, admin: null }],
    [{ moderator: true, admin: true }, { moderator: true, admin: true }],
    [{ admin: true }, { moderator: true, admin: true }],
    [{ moderator: true, admin: false }, { moderator: true, admin: false }],
    [{ moderator: false }, { moderator: false, admin: false }],
    [{ admin: false }, { moderator: true, admin: false }],
    [{ moderator: 1 }, { moderator: true, admin: null }],
  ])('reads %j as %j', (body, change) => {
    expect(roleChange(body)).toEqual(change);
  });

  it('refuses an empty change and an admin who is not a moderator', () => {
    expect(() => roleChange({})).toThrow(new BadInput('One of "moderator" or "admin" is required'));
    expect(() => roleChange({ moderator: false, admin: true })).toThrow(new BadInput('Cannot make an admin who is not a moderator'));
    expect(() => roleChange({ moderator: 'yes' })).toThrow(new BadInput('moderator must be a boolean'));
  });
});

describe('permissionValues', () => {
  it('sets, resets to the default, and leaves the rest alone', () => {
    expect(permissionValues({ read: false, default_write: true, upload: 1, default_accessible: false })).toEqual({ read: false, write: null, upload: true });
  });

  it('refuses setting and resetting one permission at once', () => {
    expect(() => permissionValues({ write: true, default_write: true })).toThrow(new BadInput('Cannot both set write and reset it to the default'));
  });
});
