// What this device keeps per group in its data folder (groups.json): the dumps of the group's
// three configs, and whether it still owes the admins its "I accept" message. Who may reach the
// group (admin seed or member auth data) is not here but in the account's UserGroups config, so
// that another device of the account joins by itself; this file is only a cache of the swarm.
import { join } from 'path';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError } from '../network/errors';
import type { GroupDumps } from './group-configs';

const FILE = 'groups.json';

export interface LocalGroup {
  dumps: GroupDumps;
  /** An accepted invitation whose response goes out once the group's keys are read. */
  responsePending?: boolean;
}

export class GroupStore {
  constructor(readonly home: string) {}

  read(): Record<string, LocalGroup> {
    const raw = readJsonIfExists(join(this.home, FILE));
    if (raw === undefined) return {};
    const groups = raw.groups;
    if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) throw new ClientError(`${join(this.home, FILE)} is damaged (field "groups"); fix or remove it`, 'input');
    return groups as Record<string, LocalGroup>;
  }

  get(groupId: string): LocalGroup {
    return this.read()[groupId] ?? { dumps: {} };
  }

  update(groupId: string, change: (group: LocalGroup) => void): void {
    const groups = this.read();
    const group = groups[groupId] ?? { dumps: {} };
    change(group);
    groups[groupId] = group;
    writeJsonAtomic(join(this.home, FILE), { groups });
  }

  forget(groupId: string): void {
    const groups = this.read();
    if (!(groupId in groups)) return;
    delete groups[groupId];
    writeJsonAtomic(join(this.home, FILE), { groups });
  }
}
