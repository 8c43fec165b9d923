// The groups of the account (its UserGroups config) as a person refers to them: by id, or by a
// name that matches exactly one group (the name from the group's Info, else from the invitation).
import { fromHex } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { GroupEntry as UserGroupEntry } from '../config/user-groups';
import { ClientError } from '../network/errors';
import { readConfigs } from '../sync/config-changes';
import { GroupConfigs } from './group-configs';
import { GroupStore } from './group-store';

export interface GroupListing {
  groupId: string;
  name: string;
  role: 'admin' | 'member';
  status: 'joined' | 'invited' | 'removed';
  /** From the Members config this device last read (undefined before the first poll). */
  memberCount?: number;
  disappearingSeconds?: number;
  joinedAtSeconds: number;
}

export function listGroups(store: AccountStore, groups: GroupStore): GroupListing[] {
  const identity = store.identity();
  return readConfigs(store.readState()).groups.groups().map((entry) => describe(entry, groups, identity.ed25519.secretKey));
}

/** The group id for an id or an unambiguous name. */
export function resolveGroup(store: AccountStore, groups: GroupStore, text: string): string {
  const all = listGroups(store, groups);
  const lower = text.toLowerCase();
  const byId = all.find((g) => g.groupId === lower);
  if (byId) return byId.groupId;
  const byName = all.filter((g) => g.name.toLowerCase() === lower);
  if (byName.length === 1) return byName[0].groupId;
  if (byName.length > 1) throw new ClientError(`${byName.length} groups are called "${text}"; give the group id: ${byName.map((g) => g.groupId).join(', ')}`, 'input');
  if (/^03[0-9a-f]{64}$/.test(lower)) throw new ClientError(`you are not in group ${lower}`, 'not_found');
  throw new ClientError(`no group called "${text}" (see "starling group list")`, 'not_found');
}

function describe(entry: UserGroupEntry, groups: GroupStore, userSecret: Uint8Array): GroupListing {
  const local = groups.get(entry.groupId);
  let configs: GroupConfigs | undefined;
  if (local.dumps.info || local.dumps.members) {
    try {
      configs = new GroupConfigs(userSecret, fromHex(entry.groupId.slice(2), 32), undefined, local.dumps);
    } catch {
      configs = undefined; // a damaged cache only costs the details until the next poll
    }
  }
  const memberCount = configs?.members.size;
  return {
    groupId: entry.groupId,
    name: configs?.info.name ?? entry.name,
    role: entry.adminSeed ? 'admin' : 'member',
    status: entry.removedStatus > 0 ? 'removed' : entry.invited ? 'invited' : 'joined',
    memberCount: memberCount && memberCount > 0 ? memberCount : undefined,
    disappearingSeconds: configs?.info.expiryTimerSeconds,
    joinedAtSeconds: entry.joinedAt,
  };
}
