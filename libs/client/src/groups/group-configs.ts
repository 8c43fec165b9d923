// The three configs of one group as a device holds them (libsession's "meta group"): the key list
// decides which keys Info and Members are encrypted with, so every key change is passed on to
// them; a rekey dirties both so that they are pushed again under the new key.
import { fromBase64, toBase64 } from '@starling/crypto';
import { GroupInfo } from './group-info';
import { GroupKeys } from './group-keys';
import { GroupMembers } from './group-members';

/** base64 dumps of one group's configs, as kept in the data folder. */
export interface GroupDumps {
  keys?: string;
  info?: string;
  members?: string;
}

export class GroupConfigs {
  readonly keys: GroupKeys;
  readonly info: GroupInfo;
  private loadedMembers?: GroupMembers;
  private signing: { publicKey: Uint8Array; secretKey?: Uint8Array };

  /**
   * `userSecret`: our 64-byte Ed25519 secret key; `groupPublic`: the group's Ed25519 key;
   * `groupSecret`: its 64-byte secret key when we are an admin.
   */
  constructor(userSecret: Uint8Array, readonly groupPublic: Uint8Array, groupSecret?: Uint8Array, private readonly dumps: GroupDumps = {}) {
    this.signing = { publicKey: groupPublic, secretKey: groupSecret };
    this.info = new GroupInfo(this.signing, dumps.info ? fromBase64(dumps.info) : undefined);
    this.keys = new GroupKeys(userSecret, groupPublic, groupSecret, dumps.keys ? fromBase64(dumps.keys) : undefined);
    this.passKeysOn(false);
  }

  /**
   * The Members config, read from its dump when first needed: sending a message does not need
   * it, so posting costs the same in a group of 2 and of 100.
   */
  get members(): GroupMembers {
    if (!this.loadedMembers) {
      this.loadedMembers = new GroupMembers(this.signing, this.dumps.members ? fromBase64(this.dumps.members) : undefined);
      this.loadedMembers.config.replaceKeys(this.keys.groupKeys(), false);
    }
    return this.loadedMembers;
  }

  get groupId(): string {
    return `03${Buffer.from(this.groupPublic).toString('hex')}`;
  }

  get admin(): boolean {
    return this.keys.admin;
  }

  /** A new key for everyone now in Members (admins only); returns the keys message to push first. */
  rekey(): Uint8Array {
    const message = this.keys.rekey(this.members.sessionIds());
    this.passKeysOn(true);
    return message;
  }

  /** Reads a message of namespace 12; true when it held a key for us. */
  loadKeyMessage(hash: string, data: Uint8Array, timestampMs: number): boolean {
    const found = this.keys.loadKeyMessage(hash, data, timestampMs);
    this.passKeysOn(false);
    return found;
  }

  /** A promotion: the group's seed (or 64-byte key) makes us an admin of all three. */
  loadAdminKey(secret: Uint8Array): void {
    this.keys.loadAdminKey(secret);
    this.signing = { publicKey: this.groupPublic, secretKey: this.keys.adminSecret() };
    this.info.config.setSigningKeys(this.signing);
    this.loadedMembers?.config.setSigningKeys(this.signing);
  }

  /** Writes the dumps that changed into `dumps`; true when any did. */
  saveInto(dumps: GroupDumps): boolean {
    let changed = false;
    if (this.keys.needsDump || dumps.keys === undefined) {
      dumps.keys = toBase64(this.keys.dump());
      changed = true;
    }
    const configs = [['info', this.info.config], ...(this.loadedMembers ? [['members', this.loadedMembers.config] as const] : [])] as const;
    for (const [name, config] of configs) {
      if (!config.needsDump && dumps[name] !== undefined) continue;
      dumps[name] = toBase64(config.dump());
      changed = true;
    }
    if (!this.loadedMembers && dumps.members === undefined && this.dumps.members !== undefined) dumps.members = this.dumps.members;
    return changed;
  }

  private passKeysOn(dirty: boolean): void {
    const keys = this.keys.groupKeys();
    this.info.config.replaceKeys(keys, dirty);
    this.loadedMembers?.config.replaceKeys(keys, dirty);
  }
}
