// Sending a text to a Session ID (client.md 2.2): one copy into the recipient's swarm (namespace
// 0, anyone may store there) and a sync copy, sealed to ourselves with syncTarget = recipient,
// into our own swarm so that our other devices see what we sent.
import { fromHex, messageHash, parseSessionId } from '@starling/crypto';
import { DisappearingSetting } from '../account/account-state';
import { AccountStore } from '../account/account-store';
import { ClientError } from '../network/errors';
import { encodeMessage } from '../messaging/wire';
import { AttachmentPointerFields, ContentFields } from '../messaging/session-protos';
import { MESSAGE_TTL_MS, storeToInbox } from '../storage/own-swarm-requests';
import { SwarmAccess } from '../storage/swarm-access';
import { confirmStored } from '../storage/swarm-receipts';
import { contactOf, editContact, isBlocked, profileName } from '../sync/config-changes';
import { ConfigSync } from '../sync/config-sync';
import { expirationFields } from './disappearing';

/** Bytes of text a message may carry; the whole stored message must stay under 76,800 bytes. */
export const MAX_TEXT_BYTES = 60_000;

export interface SentMessage {
  recipient: string;
  sentAtMs: number;
  hash: string;
  syncHash: string;
  ttlMs: number;
  disappearing?: DisappearingSetting;
}

export class MessageSender {
  constructor(
    private readonly store: AccountStore,
    private readonly swarm: SwarmAccess,
  ) {}

  /**
   * `disappearing`: undefined = the conversation's setting, null = off for this message.
   * `attachments`: pointers of files already uploaded (attachments/); the text may then be empty.
   */
  async sendText(recipient: string, text: string, disappearing?: DisappearingSetting | null, attachments: AttachmentPointerFields[] = []): Promise<SentMessage> {
    parseSessionId(recipient);
    const to = recipient.toLowerCase();
    if (text.trim() === '' && attachments.length === 0) throw new ClientError('the message is empty', 'input');
    if (Buffer.byteLength(text, 'utf8') > MAX_TEXT_BYTES) throw new ClientError(`the message is longer than ${MAX_TEXT_BYTES} bytes`, 'input');
    const identity = this.store.identity();
    const state = this.store.readState();
    if (isBlocked(state, to)) throw new ClientError(`${to} is blocked; unblock it to send`, 'input');
    const setting = disappearing === null ? undefined : (disappearing ?? contactOf(state, to)?.disappearing);

    let sentAtMs = this.swarm.clock.now();
    const name = profileName(state);
    const profile = name ? { displayName: name } : undefined;
    const body = text === '' ? undefined : text;
    const files = attachments.length > 0 ? attachments : undefined;
    const content: ContentFields = { dataMessage: { body, attachments: files, profile }, ...expirationFields(setting) };
    // Delete-after-send lives exactly its timer in the swarm; the sync copy of either kind too.
    const timerMs = setting ? setting.timerSeconds * 1000 : undefined;
    const ttlMs = setting?.mode === 'after-send' ? timerMs! : MESSAGE_TTL_MS;
    const syncTtlMs = timerMs ?? MESSAGE_TTL_MS;

    let hash: string;
    try {
      hash = await this.deposit(to, encodeMessage(identity.ed25519.secretKey, to, content, sentAtMs), sentAtMs, ttlMs, 'sending the message');
    } catch (err) {
      // The node refused our clock and the swarm client has since learned the network time: the
      // message carries its (signed) time, so it is encoded again with the corrected clock.
      if (!(err instanceof ClientError) || err.kind !== 'clock') throw err;
      sentAtMs = this.swarm.clock.now();
      hash = await this.deposit(to, encodeMessage(identity.ed25519.secretKey, to, content, sentAtMs), sentAtMs, ttlMs, 'sending the message');
    }
    const syncContent: ContentFields = { ...content, dataMessage: { ...content.dataMessage, syncTarget: to } };
    const syncData = encodeMessage(identity.ed25519.secretKey, identity.sessionId, syncContent, sentAtMs);
    const syncHash = await this.deposit(identity.sessionId, syncData, sentAtMs, syncTtlMs, 'storing the copy for your other devices');

    // This device already knows what it sent: its own poll skips the sync copy.
    const poll = this.store.readPollState();
    poll.seen.push(syncHash);
    this.store.writePollState(poll);
    // Writing to someone approves them (their messages are no longer a request), as in the apps.
    if (!contactOf(state, to)?.approved) {
      editContact(state, to, (c) => (c.approved = true), sentAtMs);
      this.store.writeState(state);
    }
    // The new contact reaches the other devices now; if that fails it stays unsynced and the
    // next network command pushes it: the message itself is already delivered.
    await new ConfigSync(this.store, this.swarm).pushPending().catch((err) => {
      if (!(err instanceof ClientError)) throw err;
    });
    return { recipient: to, sentAtMs, hash, syncHash, ttlMs, disappearing: setting };
  }

  private deposit(pubkey: string, data: Uint8Array, sentAtMs: number, ttlMs: number, what: string): Promise<string> {
    return depositInInbox(this.swarm, pubkey, data, sentAtMs, ttlMs, what);
  }
}

/** Stores `data` in `pubkey`'s namespace 0 and returns its hash once a swarm member signed for it. */
export async function depositInInbox(swarm: SwarmAccess, pubkey: string, data: Uint8Array, sentAtMs: number, ttlMs: number, what: string): Promise<string> {
  const reply = await swarm.request(pubkey, 'store', () => storeToInbox(pubkey, 0, sentAtMs, ttlMs, data));
  const hash = messageHash(fromHex(pubkey, 33), 0, data);
  confirmStored(reply, hash, await swarm.swarmOf(pubkey), what);
  return hash;
}
