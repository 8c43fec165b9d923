// Messages and accounts' revocation lists pushed by another storage node (retries, catch-up of a
// new member, hand-over). The sender must be a storage node of the current map and sign the push;
// every hash is recomputed from the content, so a push cannot plant a message under someone
// else's hash. Revocations are merged into this node's lists (a later time wins).
import { messageHash, SUBACCOUNT_TOKEN_BYTES, verifyEd25519 } from '@starling/crypto';
import { pushMessagesSigningBytes, swarmstore } from '@starling/proto';
import type { SwarmView } from '@starling/membership';
import type { MessageStore, StoredMessage } from '../storage/message-store';
import type { HeldRevocation, RevocationStore } from '../storage/revocation-store';
import { MAX_MESSAGE_BODY } from '../rpc/limits';

export class PushRefused extends Error {
  constructor(readonly reason: 'unknown-sender' | 'bad-signature' | 'stale' | 'malformed', message: string) {
    super(message);
    this.name = 'PushRefused';
  }
}

const PUSH_WINDOW_MS = 5 * 60_000;

export class PushReceiver {
  constructor(
    private readonly store: MessageStore,
    private readonly revocations: RevocationStore,
    private readonly view: () => SwarmView,
  ) {}

  async receive(req: swarmstore.PushMessagesRequest): Promise<number> {
    const sender = req.fromPubkeyEd25519.toLowerCase();
    if (!this.view().nodes.has(sender)) throw new PushRefused('unknown-sender', 'push from a node that is not a storage node of the network map');
    const ts = Number(req.timestampMs);
    if (!Number.isFinite(ts) || Math.abs(ts - Date.now()) > PUSH_WINDOW_MS) throw new PushRefused('stale', 'push timestamp outside the accepted window');
    const signed = pushMessagesSigningBytes(sender, req.timestampMs, req.messages.map((m) => m.hash), req.revocations);
    if (!verifyEd25519(req.signature, signed, Buffer.from(sender, 'hex'))) throw new PushRefused('bad-signature', 'push signature does not verify');
    const revocations = req.revocations.map((r): HeldRevocation => {
      if (r.pubkey.length !== 33 || r.token.length !== SUBACCOUNT_TOKEN_BYTES) throw new PushRefused('malformed', 'pushed revocation has a malformed account id or token');
      return { owner: Buffer.from(r.pubkey), token: Buffer.from(r.token), revokedMs: Number(r.revokedMs) };
    });

    const now = Date.now();
    const rows: StoredMessage[] = [];
    for (const m of req.messages) {
      if (m.pubkey.length !== 33 || m.data.length > MAX_MESSAGE_BODY || m.namespace < -32768 || m.namespace > 32767) {
        throw new PushRefused('malformed', 'pushed message has a malformed account id, namespace or size');
      }
      if (messageHash(m.pubkey, m.namespace, m.data) !== m.hash) throw new PushRefused('malformed', 'pushed message hash does not match its content');
      const expiryMs = Number(m.expiryMs);
      if (expiryMs <= now) continue;
      rows.push({ owner: Buffer.from(m.pubkey), namespace: m.namespace, hash: m.hash, timestampMs: Number(m.timestampMs), expiryMs, data: Buffer.from(m.data) });
    }
    await this.store.insertMany(rows);
    await this.revocations.merge(revocations);
    return rows.length;
  }
}
