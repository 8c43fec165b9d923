// One group, opened for a command: its entry in the account's UserGroups config (who we are in
// it: admin seed or member auth data), its three configs from this device's cache, and the signed
// requests for its swarm.
import { ed25519KeyPairFromSeed, fromHex, IdPrefix, parsePrefixedId } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { GroupEntry } from '../config/user-groups';
import { ClientError } from '../network/errors';
import { readConfigs } from '../sync/config-changes';
import { GroupConfigs } from './group-configs';
import { GroupCredentials, GroupRequests } from './group-requests';
import { GroupStore, LocalGroup } from './group-store';

export interface OpenGroup {
  id: string;
  entry: GroupEntry;
  configs: GroupConfigs;
  requests: GroupRequests;
  local: LocalGroup;
}

export function parseGroupId(text: string): string {
  try {
    return parsePrefixedId(text, [IdPrefix.group]).id;
  } catch (err) {
    throw new ClientError(`not a group id (03 + 64 hex characters): ${(err as Error).message}`, 'input');
  }
}

export function openGroup(store: AccountStore, groups: GroupStore, groupId: string): OpenGroup {
  const id = parseGroupId(groupId);
  const entry = readConfigs(store.readState()).groups.group(id);
  if (!entry) throw new ClientError(`you are not in group ${id}`, 'input');
  const identity = store.identity();
  const groupSecret = entry.adminSeed ? ed25519KeyPairFromSeed(entry.adminSeed).secretKey : undefined;
  let credentials: GroupCredentials;
  if (groupSecret) credentials = { kind: 'admin', groupSecret };
  else if (entry.authData) credentials = { kind: 'member', userSecret: identity.ed25519.secretKey, authData: entry.authData };
  else throw new ClientError(`group ${id} has neither an admin key nor member credentials on this account`, 'refused');
  const local = groups.get(id);
  const configs = new GroupConfigs(identity.ed25519.secretKey, fromHex(id.slice(2), 32), groupSecret, local.dumps);
  return { id, entry, configs, requests: new GroupRequests(id, credentials), local };
}

/** Writes back what changed in the group's configs and local state. */
export function saveGroup(groups: GroupStore, group: OpenGroup): void {
  group.configs.saveInto(group.local.dumps);
  groups.update(group.id, (g) => Object.assign(g, group.local));
}

/** The group's name: from its Info config once read, else from the invitation. */
export function groupName(group: OpenGroup): string {
  return group.configs.info.name ?? group.entry.name;
}
