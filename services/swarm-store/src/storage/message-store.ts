// The node's message table and every query on it. Nothing here knows about signatures, swarms or
// HTTP: handlers validate first, then call one method per protocol operation.
import type { Database, NamedStatement } from '@starling/platform';

/** A message as held by this node and moved between nodes (namespace included). */
export interface StoredMessage {
  /** 33-byte prefixed account id. */
  owner: Buffer;
  namespace: number;
  hash: string;
  timestampMs: number;
  expiryMs: number;
  data: Buffer;
}

export interface InsertOutcome {
  hash: string;
  /** Expiry held after the insert: a duplicate with a later expiry extends it. */
  expiryMs: number;
  /** True when the message was already held (a duplicate store). */
  already: boolean;
}

export interface RetrievedMessage {
  hash: string;
  timestampMs: number;
  expiryMs: number;
  /** The data as it is kept and answered: base64, padded. */
  dataBase64: string;
}

export interface RetrievePage {
  messages: RetrievedMessage[];
  more: boolean;
}

/** Which namespaces an operation covers: one, or every namespace of the account ("all"). */
export type NamespaceScope = number | 'all';

export interface HashInNamespace {
  hash: string;
  namespace: number;
}

export interface ExpireOutcome {
  /** Hashes whose expiry changed, with the value applied. */
  updated: Map<string, number>;
  /** Hashes that exist but were left as they were, with their current expiry. */
  unchanged: Map<string, number>;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v);
const bytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

/** Length of an account id as stored (netid byte + 32-byte key). */
const OWNER_BYTES = 33;

/** Retrieve budget per message, as upstream counts it: 100 + hash (43) + data x 4/3 (base64). */
const RETRIEVE_OVERHEAD = 143;

/** The group commit's INSERT (see insertMany); named, as it runs for every batch. */
const INSERT_BATCH: NamedStatement = {
  name: 'swarm_store_insert_batch',
  text: `WITH incoming AS (
         SELECT hash, substring($2::bytea FROM (ord::integer - 1) * ${OWNER_BYTES} + 1 FOR ${OWNER_BYTES}) AS owner,
                namespace, timestamp_ms, expiry_ms, size, data_offset, ord
           FROM unnest($1::text[], $3::smallint[], $4::bigint[], $5::bigint[], $6::integer[], $9::integer[])
             WITH ORDINALITY AS t(hash, namespace, timestamp_ms, expiry_ms, size, data_offset, ord)
       ), held AS (
         -- One index lookup per account of the batch (as a join, PostgreSQL hash-joined the batch
         -- against a scan of the whole table: every commit cost more as the node filled up).
         SELECT owner, (SELECT sum(m.size) FROM messages m WHERE m.owner = o.owner) AS bytes
           FROM (SELECT DISTINCT owner FROM incoming) o WHERE $8::bigint IS NOT NULL
       ), admitted AS (
         SELECT * FROM (
           SELECT i.*, COALESCE(h.bytes, 0) + sum(i.size) OVER (PARTITION BY i.owner ORDER BY i.ord) AS account_bytes
             FROM incoming i LEFT JOIN held h ON h.owner = i.owner
         ) x WHERE $8::bigint IS NULL OR account_bytes <= $8::bigint
       )
       INSERT INTO messages (hash, owner, namespace, timestamp_ms, expiry_ms, size, data_base64)
       SELECT hash, owner, namespace, timestamp_ms, expiry_ms, size,
              convert_from(substring($7::bytea FROM data_offset + 1 FOR 4 * ((size + 2) / 3)), 'UTF8')
         FROM admitted ORDER BY ord
       ON CONFLICT (hash) DO UPDATE SET expiry_ms = GREATEST(messages.expiry_ms, EXCLUDED.expiry_ms)
       RETURNING hash, expiry_ms, (xmax = 0) AS inserted`,
};

/** One page of an account's namespace (see retrieve); named, as every poll runs it. */
/**
 * One retrieve page. The window over message sizes runs on the narrow columns only; message bodies
 * are read for the rows that fit the byte budget and for the next one (which tells whether there
 * is more), and always for the first two (the first is returned even when it alone is over the
 * budget, the second then tells whether there is more). An
 * account holding far more than a page costs a page, not everything it holds.
 */
const RETRIEVE_PAGE: NamedStatement = {
  name: 'swarm_store_retrieve_page',
  text: `SELECT m.hash, m.timestamp_ms, m.expiry_ms, m.data_base64, page.running
         FROM (SELECT id,
                      ${RETRIEVE_OVERHEAD} + size * (4::float8 / 3) AS cost,
                      row_number() OVER (ORDER BY id) AS n,
                      sum(${RETRIEVE_OVERHEAD} + size * (4::float8 / 3)) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running
                 FROM messages
                WHERE owner = $1 AND namespace = $2 AND expiry_ms > $4
                  AND id > COALESCE((SELECT id FROM messages WHERE hash = $3 AND owner = $1 AND namespace = $2), 0)
                ORDER BY id
                LIMIT $5) page
         JOIN messages m ON m.id = page.id
        WHERE page.running - page.cost <= $6 OR page.n <= 2
        ORDER BY page.id`,
};

export class MessageStore {
  constructor(private readonly db: Database) {}

  /**
   * One multi-row INSERT for the whole batch (group commit). A hash already held keeps its row
   * and insertion order; only a later expiry is taken over. Duplicate hashes inside one batch are
   * merged first (PostgreSQL refuses to update one row twice in a statement).
   * With `accountQuotaBytes`, the same statement leaves out rows that would take their account
   * past the quota (bytes held plus the batch's earlier rows): they are absent from the result.
   */
  async insertMany(messages: readonly StoredMessage[], accountQuotaBytes?: number): Promise<Map<string, InsertOutcome>> {
    const unique = new Map<string, StoredMessage>();
    for (const m of messages) {
      const seen = unique.get(m.hash);
      if (!seen || m.expiryMs > seen.expiryMs) unique.set(m.hash, m);
    }
    const rows = [...unique.values()];
    const out = new Map<string, InsertOutcome>();
    if (rows.length === 0) return out;
    // Owners and data (as base64) go as two concatenated bytea parameters cut apart in SQL: pg
    // sends a Buffer parameter as raw bytes, but arrays as text it must escape element by element.
    const offsets: number[] = [];
    const base64: string[] = [];
    let offset = 0;
    for (const m of rows) {
      if (m.owner.length !== OWNER_BYTES) throw new Error(`account id of ${m.owner.length} bytes, expected ${OWNER_BYTES}`);
      const text = m.data.toString('base64'); // 4 * ceil(size / 3) characters, as the SQL cuts them
      offsets.push(offset);
      base64.push(text);
      offset += text.length;
    }
    const res = await this.db.query<Row>(
      INSERT_BATCH,
      [
        rows.map((m) => m.hash),
        Buffer.concat(rows.map((m) => m.owner)),
        rows.map((m) => m.namespace),
        rows.map((m) => String(m.timestampMs)),
        rows.map((m) => String(m.expiryMs)),
        rows.map((m) => m.data.length),
        Buffer.from(base64.join(''), 'latin1'),
        accountQuotaBytes === undefined ? null : String(accountQuotaBytes),
        offsets,
      ],
    );
    for (const r of res.rows) {
      out.set(String(r.hash), { hash: String(r.hash), expiryMs: num(r.expiry_ms), already: r.inserted !== true });
    }
    return out;
  }

  /**
   * Messages of one account and namespace in insertion order, after `lastHash` (from the oldest
   * when lastHash is absent or not held here). Stops after maxCount messages or once maxSize is
   * reached; the first message is always returned. Expired messages are filtered on read.
   */
  async retrieve(owner: Buffer, namespace: number, lastHash: string | undefined, maxCount: number | undefined, maxSize: number, nowMs: number): Promise<RetrievePage> {
    const limit = (maxCount ?? 100_000) + 1;
    const res = await this.db.query<Row>(
      RETRIEVE_PAGE,
      [owner, namespace, lastHash ?? '', String(nowMs), limit, maxSize],
    );
    const messages: RetrievedMessage[] = [];
    for (const r of res.rows) {
      if (maxCount !== undefined && messages.length >= maxCount) break;
      if (messages.length > 0 && Number(r.running) > maxSize) break;
      messages.push({ hash: String(r.hash), timestampMs: num(r.timestamp_ms), expiryMs: num(r.expiry_ms), dataBase64: String(r.data_base64) });
    }
    return { messages, more: res.rows.length > messages.length };
  }

  /** Keeps only `keepHash` of the account in the namespace (public outbox semantics). */
  async deleteOthersInNamespace(owner: Buffer, namespace: number, keepHash: string): Promise<void> {
    await this.db.query('DELETE FROM messages WHERE owner = $1 AND namespace = $2 AND hash <> $3', [owner, namespace, keepHash]);
  }

  /** Deletes the named messages of the account; returns the hashes actually deleted, sorted. */
  async deleteByHashes(owner: Buffer, hashes: readonly string[]): Promise<string[]> {
    const res = await this.db.query<Row>('DELETE FROM messages WHERE owner = $1 AND hash = ANY($2::text[]) RETURNING hash', [owner, hashes]);
    return res.rows.map((r) => String(r.hash)).sort();
  }

  async deleteAll(owner: Buffer, scope: NamespaceScope): Promise<HashInNamespace[]> {
    const res = await this.db.query<Row>(
      `DELETE FROM messages WHERE owner = $1 AND ($2::smallint IS NULL OR namespace = $2) RETURNING hash, namespace`,
      [owner, scope === 'all' ? null : scope],
    );
    return res.rows.map((r) => ({ hash: String(r.hash), namespace: num(r.namespace) }));
  }

  async deleteBefore(owner: Buffer, scope: NamespaceScope, beforeMs: number): Promise<HashInNamespace[]> {
    const res = await this.db.query<Row>(
      `DELETE FROM messages WHERE owner = $1 AND ($2::smallint IS NULL OR namespace = $2) AND timestamp_ms <= $3
       RETURNING hash, namespace`,
      [owner, scope === 'all' ? null : scope, String(beforeMs)],
    );
    return res.rows.map((r) => ({ hash: String(r.hash), namespace: num(r.namespace) }));
  }

  /**
   * Sets new expiries on the named messages. `expiries` maps each hash to its requested value.
   * mode 'shorten' only lowers, 'extend' only raises (ignoring raises under 1% of the message's
   * lifetime, to spare a rewrite per poll), undefined sets the value either way.
   */
  async expire(owner: Buffer, expiries: ReadonlyMap<string, number>, mode: 'shorten' | 'extend' | undefined, nowMs: number): Promise<ExpireOutcome> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<Row>(
        `SELECT hash, timestamp_ms, expiry_ms FROM messages
          WHERE owner = $1 AND hash = ANY($2::text[]) AND expiry_ms > $3 FOR UPDATE`,
        [owner, [...expiries.keys()], String(nowMs)],
      );
      const updated = new Map<string, number>();
      const unchanged = new Map<string, number>();
      for (const r of current.rows) {
        const hash = String(r.hash);
        const held = num(r.expiry_ms);
        const wanted = expiries.get(hash)!;
        const lifetime = held - num(r.timestamp_ms);
        const apply =
          mode === 'shorten' ? wanted < held : mode === 'extend' ? wanted > held && wanted - held >= lifetime / 100 : wanted !== held;
        if (apply) updated.set(hash, wanted);
        else unchanged.set(hash, held);
      }
      if (updated.size > 0) {
        await tx.query(
          `UPDATE messages m SET expiry_ms = u.expiry FROM unnest($2::text[], $3::bigint[]) AS u(hash, expiry)
            WHERE m.owner = $1 AND m.hash = u.hash`,
          [owner, [...updated.keys()], [...updated.values()].map(String)],
        );
      }
      // With neither shorten nor extend, an equal value counts as updated (it is what was asked).
      if (mode === undefined) for (const [h, e] of unchanged) updated.set(h, e);
      if (mode === undefined) unchanged.clear();
      return { updated, unchanged };
    });
  }

  /** Lowers to `expiryMs` every later expiry in scope; returns the hashes changed. */
  async expireAll(owner: Buffer, scope: NamespaceScope, expiryMs: number): Promise<HashInNamespace[]> {
    const res = await this.db.query<Row>(
      `UPDATE messages SET expiry_ms = $3 WHERE owner = $1 AND ($2::smallint IS NULL OR namespace = $2) AND expiry_ms > $3
       RETURNING hash, namespace`,
      [owner, scope === 'all' ? null : scope, String(expiryMs)],
    );
    return res.rows.map((r) => ({ hash: String(r.hash), namespace: num(r.namespace) }));
  }

  async getExpiries(owner: Buffer, hashes: readonly string[], nowMs: number): Promise<Map<string, number>> {
    const res = await this.db.query<Row>(
      'SELECT hash, expiry_ms FROM messages WHERE owner = $1 AND hash = ANY($2::text[]) AND expiry_ms > $3',
      [owner, hashes, String(nowMs)],
    );
    return new Map(res.rows.map((r) => [String(r.hash), num(r.expiry_ms)]));
  }

  /** Removes messages whose expiry has passed; returns how many. */
  async sweepExpired(nowMs: number): Promise<number> {
    const res = await this.db.query('DELETE FROM messages WHERE expiry_ms <= $1', [String(nowMs)]);
    return res.rowCount;
  }

  async totals(): Promise<{ messages: number; bytes: number }> {
    const res = await this.db.query<Row>('SELECT count(*) AS n, COALESCE(sum(size), 0) AS b FROM messages');
    return { messages: num(res.rows[0]!.n), bytes: num(res.rows[0]!.b) };
  }

  async messagesByHash(hashes: readonly string[]): Promise<StoredMessage[]> {
    if (hashes.length === 0) return [];
    const res = await this.db.query<Row>(
      'SELECT owner, namespace, hash, timestamp_ms, expiry_ms, data_base64 FROM messages WHERE hash = ANY($1::text[])',
      [hashes],
    );
    return res.rows.map(toStored);
  }

  /** A page of the messages of the given accounts, in id order after `afterId` (for bulk pushes). */
  async pageOfOwners(owners: readonly Buffer[], afterId: string, limit: number): Promise<{ messages: StoredMessage[]; lastId: string }> {
    const res = await this.db.query<Row>(
      `SELECT id, owner, namespace, hash, timestamp_ms, expiry_ms, data_base64 FROM messages
        WHERE owner = ANY($1::bytea[]) AND id > $2 ORDER BY id LIMIT $3`,
      [owners, afterId, limit],
    );
    const last = res.rows[res.rows.length - 1];
    return { messages: res.rows.map(toStored), lastId: last ? String(last.id) : afterId };
  }
}

function toStored(r: Row): StoredMessage {
  return {
    owner: bytes(r.owner),
    namespace: num(r.namespace),
    hash: String(r.hash),
    timestampMs: num(r.timestamp_ms),
    expiryMs: num(r.expiry_ms),
    data: Buffer.from(String(r.data_base64), 'base64'),
  };
}
