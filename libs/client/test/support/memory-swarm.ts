// An in-process stand-in for a swarm of storage nodes, for SDK and CLI tests that must not need
// the whole network. It follows the storage RPC rules that the client depends on, and checks
// every owner signature with real Ed25519, so a wrong signature text fails the test:
// store (ns % 10 == 0 unauthenticated, others signed), retrieve (signed, last_hash per node,
// unknown last_hash restarts), expire (signed; shorten only lowers), delete (signed), batch,
// sequence. Group accounts (03) sign with the group key or a subaccount token (flags checked,
// revoke_subaccount/unrevoke_subaccount kept per group; namespace -11 stays readable when revoked).
// Members sign their results with their own node keys, as real storage nodes do.
import {
  bytesEqual,
  concatBytes,
  subaccountRefusal,
  SubaccountFlag,
  ed25519PublicKeyToX25519,
  fromBase64,
  fromHex,
  generateIdentity,
  messageHash,
  signEd25519,
  toBase64,
  toHex,
  utf8,
  verifyEd25519,
} from '@starling/crypto';
import type { SnodeReply } from '../../src/network/onion-client';
import type { ServiceNode } from '../../src/network/service-nodes';
import type { SwarmAccess } from '../../src/storage/swarm-access';

export interface StoredRow {
  hash: string;
  namespace: number;
  timestamp: number;
  expiry: number;
  data: string;
}

type Params = Record<string, unknown>;

export class MemorySwarm implements SwarmAccess {
  /** Shift of the swarm's clock against Date.now(), for expiry tests. */
  offsetMs = 0;
  readonly clock = { now: () => Date.now() + this.offsetMs };
  /** Messages per retrieve page (unlimited unless set); a full page says `more`. */
  pageSize = Infinity;
  /** last_hash of every retrieve, in order: "<namespace>:<last_hash>". */
  readonly lastHashesAsked: string[] = [];
  /** Every RPC the swarm answered, in order: [pubkey, method]. */
  readonly calls: Array<[string, string]> = [];
  private readonly accounts = new Map<string, StoredRow[]>();
  /** Revoked subaccount tokens (hex) per group. */
  private readonly revoked = new Map<string, Set<string>>();
  /** When set, every member signs with a key that is not its own (a lying swarm). */
  forgeSignatures = false;
  private readonly nodeKeys = [generateIdentity().identity, generateIdentity().identity];
  private readonly impostor = generateIdentity().identity;
  readonly nodes: ServiceNode[] = this.nodeKeys.map((k) => ({
    role: 'store' as const,
    ed25519: toHex(k.ed25519.publicKey),
    x25519: toHex(k.x25519.publicKey),
    ip: '127.0.0.1',
    port: 1,
    swarmId: '0',
  }));

  async swarmOf(_pubkey: string): Promise<ServiceNode[]> {
    return this.nodes;
  }

  async request(pubkey: string, method: string, params: () => Params, _node?: ServiceNode): Promise<SnodeReply> {
    const reply = this.call(method, params());
    this.calls.push([pubkey, method]);
    return reply;
  }

  rows(pubkey: string, namespace?: number): StoredRow[] {
    const now = this.clock.now();
    return (this.accounts.get(pubkey) ?? []).filter((r) => r.expiry > now && (namespace === undefined || r.namespace === namespace));
  }

  /** Puts raw bytes in an inbox as any sender could (for tampered/foreign messages). */
  deposit(pubkey: string, data: Uint8Array): string {
    const reply = this.call('store', { pubkey, namespace: 0, timestamp: this.clock.now(), ttl: 60_000, data: Buffer.from(data).toString('base64') });
    return (reply.body as { hash: string }).hash;
  }

  private call(method: string, params: Params): SnodeReply {
    const t = this.clock.now();
    try {
      switch (method) {
        case 'batch':
        case 'sequence': {
          const requests = params.requests as Array<{ method: string; params: Params }>;
          if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20) return { status: 400, body: `bad ${method}` };
          const results: Array<{ code: number; body: unknown }> = [];
          for (const r of requests) {
            const reply = this.call(r.method, r.params);
            results.push({ code: reply.status, body: reply.body });
            if (method === 'sequence' && reply.status !== 200) break;
          }
          return { status: 200, body: { results, t } };
        }
        case 'revoke_subaccount':
        case 'unrevoke_subaccount':
          return this.changeRevocations(method, params, t);
        case 'store':
          return this.store(params, t);
        case 'retrieve':
          return this.retrieve(params, t);
        case 'expire':
          return this.expire(params, t);
        case 'delete':
          return this.delete(params, t);
        default:
          return { status: 400, body: `no method ${method}` };
      }
    } catch (err) {
      return { status: 401, body: (err as Error).message };
    }
  }

  private store(p: Params, t: number): SnodeReply {
    const pubkey = p.pubkey as string;
    const namespace = (p.namespace as number) ?? 0;
    const ttl = p.ttl as number;
    const maxTtl = namespace % 10 === 0 ? 14 * 86_400_000 : 30 * 86_400_000;
    if (!Number.isInteger(ttl) || ttl < 10_000 || ttl > maxTtl) return { status: 403, body: 'Provided expiry/TTL is not valid.' };
    if (namespace % 10 !== 0) this.verify(p, `store${namespace}${p.timestamp}`, SubaccountFlag.write, namespace);
    const data = fromBase64(p.data as string);
    const hash = messageHash(fromHex(pubkey, 33), namespace, data);
    const rows = this.accounts.get(pubkey) ?? [];
    const existing = rows.find((r) => r.hash === hash);
    const expiry = (p.timestamp as number) + ttl;
    if (existing) existing.expiry = Math.max(existing.expiry, expiry);
    else rows.push({ hash, namespace, timestamp: p.timestamp as number, expiry, data: p.data as string });
    this.accounts.set(pubkey, rows);
    const swarm = this.members((sign) => ({ hash, expiry: existing?.expiry ?? expiry, signature: sign(hash) }));
    return { status: 200, body: { swarm, hash, t } };
  }

  private retrieve(p: Params, t: number): SnodeReply {
    const namespace = (p.namespace as number) ?? 0;
    this.verify(p, `retrieve${namespace === 0 ? '' : namespace}${p.timestamp}`, SubaccountFlag.read, namespace);
    const rows = this.rows(p.pubkey as string, namespace);
    const after = rows.findIndex((r) => r.hash === p.last_hash);
    this.lastHashesAsked.push(`${namespace}:${p.last_hash ?? ''}`);
    const rest = rows.slice(after + 1); // unknown last_hash: from the oldest
    const page = rest.slice(0, this.pageSize);
    const messages = page.map((r) => ({ hash: r.hash, timestamp: r.timestamp, expiration: r.expiry, data: r.data }));
    return { status: 200, body: { messages, more: rest.length > page.length, t } };
  }

  private expire(p: Params, t: number): SnodeReply {
    const hashes = p.messages as string[];
    const mode = p.shorten ? 'shorten' : p.extend ? 'extend' : '';
    this.verify(p, `expire${mode}${p.expiry}${hashes.join('')}`, SubaccountFlag.write);
    const expiry = p.expiry as number;
    const updated: string[] = [];
    for (const row of this.rows(p.pubkey as string)) {
      if (!hashes.includes(row.hash)) continue;
      if ((mode === 'shorten' && expiry >= row.expiry) || (mode === 'extend' && expiry <= row.expiry)) continue;
      row.expiry = expiry;
      updated.push(row.hash);
    }
    updated.sort();
    const signed = `${p.pubkey}${expiry}${hashes.join('')}${updated.join('')}`;
    return { status: 200, body: { swarm: this.members((sign) => ({ updated, unchanged: {}, expiry, signature: sign(signed) })), t } };
  }

  private delete(p: Params, t: number): SnodeReply {
    const hashes = p.messages as string[];
    this.verify(p, `delete${hashes.join('')}`, SubaccountFlag.delete);
    const rows = this.accounts.get(p.pubkey as string) ?? [];
    this.accounts.set(p.pubkey as string, rows.filter((r) => !hashes.includes(r.hash)));
    return { status: 200, body: { swarm: {}, t } };
  }

  /** One result per member, each signed with that member's key (or an impostor's). */
  private members(result: (sign: (text: string) => string) => Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      this.nodes.map((n, i) => {
        const key = this.forgeSignatures ? this.impostor : this.nodeKeys[i];
        return [n.ed25519, result((text) => toBase64(signEd25519(key.ed25519.secretKey, utf8(text))))];
      }),
    );
  }

  /** Revoked tokens of a group, as hex. */
  revokedTokens(groupId: string): string[] {
    return [...(this.revoked.get(groupId) ?? [])];
  }

  private changeRevocations(method: string, p: Params, t: number): SnodeReply {
    const groupId = p.pubkey as string;
    const tokens = ((method === 'revoke_subaccount' ? p.revoke : p.unrevoke) as string[]).map((h) => fromHex(h, 36));
    const signed = concatBytes(utf8(`${method}${p.timestamp}`), ...tokens);
    if (p.subaccount || !verifyEd25519(fromBase64(p.signature as string), signed, fromHex(groupId.slice(2), 32))) throw new Error(`${method} signature verification failed`);
    const set = this.revoked.get(groupId) ?? new Set<string>();
    for (const token of tokens) {
      if (method === 'revoke_subaccount') set.add(toHex(token));
      else set.delete(toHex(token));
    }
    this.revoked.set(groupId, set);
    return { status: 200, body: { swarm: {}, t } };
  }

  /**
   * The owner's signature: for a Session ID, pubkey_ed25519 must be its key and sign `text`; for
   * a group, the group key signs, or a subaccount token with `flag` that the group key signed
   * (and that is not revoked, outside the unrevocable namespaces) and whose key signs `text`.
   */
  private verify(p: Params, text: string, flag: number, namespace?: number): void {
    const pubkey = p.pubkey as string;
    if (pubkey.startsWith('03')) {
      const groupKey = fromHex(pubkey.slice(2), 32);
      let signer = groupKey;
      if (p.subaccount) {
        const token = fromBase64(p.subaccount as string);
        const unrevocable = namespace !== undefined && namespace < 0 && -namespace % 100 === 11;
        if (!unrevocable && this.revoked.get(pubkey)?.has(toHex(token))) throw new Error('subaccount token has been revoked');
        const refusal = subaccountRefusal(token, fromBase64(p.subaccount_sig as string), 0x03, groupKey, flag);
        if (refusal) throw new Error(`subaccount refused: ${refusal}`);
        signer = token.subarray(4);
      }
      if (!verifyEd25519(fromBase64(p.signature as string), utf8(text), signer)) throw new Error(`signature verification failed (${text.slice(0, 12)})`);
      return;
    }
    const edpk = fromHex(p.pubkey_ed25519 as string, 32);
    if (!bytesEqual(ed25519PublicKeyToX25519(edpk), fromHex(p.pubkey as string, 33).subarray(1))) throw new Error('pubkey_ed25519 does not match pubkey');
    if (!verifyEd25519(fromBase64(p.signature as string), utf8(text), edpk)) throw new Error(`signature verification failed (${text.slice(0, 12)})`);
  }
}
