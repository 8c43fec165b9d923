// The four configs of an account, opened from the dumps a device keeps (account.json "configs",
// base64 of libsession's dump format) and written back when they changed.
import { fromBase64, toBase64 } from '@starling/crypto';
import { ConfigObject } from './config-object';
import { CONTACTS, Contacts } from './contacts';
import { CONVO_INFO_VOLATILE, ConvoInfoVolatile } from './convo-info-volatile';
import { ConfigKind } from './config-envelope';
import { USER_GROUPS, UserGroups } from './user-groups';
import { USER_PROFILE, UserProfile } from './user-profile';

/** In the order the apps poll them (client.md 3.3). */
export const ACCOUNT_CONFIG_KINDS: readonly ConfigKind[] = [USER_PROFILE, CONTACTS, USER_GROUPS, CONVO_INFO_VOLATILE];
export const ACCOUNT_CONFIG_NAMESPACES = ACCOUNT_CONFIG_KINDS.map((k) => k.namespace);

/** Dumps by namespace ("2", "3", "4", "5"). */
export type ConfigDumps = Record<string, string>;

export class AccountConfigs {
  readonly profile: UserProfile;
  readonly contacts: Contacts;
  readonly convos: ConvoInfoVolatile;
  readonly groups: UserGroups;
  private readonly byNamespace = new Map<number, ConfigObject>();

  /** Without `seed32` the configs can be read and edited but not pushed or merged. */
  constructor(dumps: ConfigDumps, seed32?: Uint8Array, nowMs: () => number = Date.now) {
    for (const kind of ACCOUNT_CONFIG_KINDS) {
      const dump = dumps[kind.namespace];
      this.byNamespace.set(kind.namespace, new ConfigObject(kind, seed32, dump ? fromBase64(dump) : undefined));
    }
    this.profile = new UserProfile(this.config(USER_PROFILE.namespace));
    this.contacts = new Contacts(this.config(CONTACTS.namespace));
    this.convos = new ConvoInfoVolatile(this.config(CONVO_INFO_VOLATILE.namespace), nowMs);
    this.groups = new UserGroups(this.config(USER_GROUPS.namespace));
  }

  config(namespace: number): ConfigObject {
    const config = this.byNamespace.get(namespace);
    if (!config) throw new Error(`namespace ${namespace} is not an account config`);
    return config;
  }

  all(): ConfigObject[] {
    return [...this.byNamespace.values()];
  }

  /** Writes the dumps of the configs that changed into `dumps`; true when any did. */
  saveInto(dumps: ConfigDumps): boolean {
    let changed = false;
    for (const config of this.all()) {
      if (!config.needsDump) continue;
      dumps[config.kind.namespace] = toBase64(config.dump());
      changed = true;
    }
    return changed;
  }
}
