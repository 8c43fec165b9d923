// Devices for SDK tests: each is a data folder of its own on a shared in-process swarm.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateIdentity, Identity } from '@starling/crypto';
import { AccountStore } from '../../src/account/account-store';
import { Inbox } from '../../src/conversations/inbox';
import { MessageSender } from '../../src/conversations/send';
import { MemorySwarm } from './memory-swarm';

export interface Device {
  store: AccountStore;
  identity: Identity;
  seed: Uint8Array;
  sender: MessageSender;
  inbox: Inbox;
}

export class Devices {
  private readonly folders: string[] = [];

  constructor(readonly swarm = new MemorySwarm()) {}

  /** A new account, or another device of the account with `seed`. */
  device(seed: Uint8Array = generateIdentity().seed16): Device {
    const home = mkdtempSync(join(tmpdir(), 'starling-device-'));
    this.folders.push(home);
    const store = new AccountStore(home);
    const identity = store.createIdentity(seed);
    return { store, identity, seed, sender: new MessageSender(store, this.swarm), inbox: new Inbox(store, this.swarm) };
  }

  cleanup(): void {
    for (const folder of this.folders) rmSync(folder, { recursive: true, force: true });
  }
}
