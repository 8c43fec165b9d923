// The subscription table and every query on it. Callers have checked the request; nothing here
// knows about signatures or HTTP.
import type { Database, NamedStatement } from '@starling/platform';
import type { SubscribeRequest } from './subscription-request';
import { SIGNATURE_EXPIRY_SECONDS } from './subscription-request';

/** Where a notice goes: the provider's name and its id for the device (plus extra data). */
export interface DeliveryTarget {
  service: string;
  serviceId: string;
  serviceData?: Buffer;
}

/** A subscription as a notice needs it. */
export interface NoticeSubscription extends DeliveryTarget {
  wantData: boolean;
  encKey: Buffer;
}

/** A subscription as a storage-node monitor request needs it (replayed signature included). */
export interface MonitoredSubscription {
  account: Buffer;
  sessionEd25519?: Buffer;
  subaccountToken?: Buffer;
  subaccountSig?: Buffer;
  signature: Buffer;
  sigTs: number;
  wantData: boolean;
  namespaces: number[];
}

type Row = Record<string, unknown>;
const buf = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));
const optionalBuf = (v: unknown): Buffer | undefined => (v === null || v === undefined ? undefined : buf(v));

/** Every stored notice runs this; named so that PostgreSQL plans it once per connection. */
const FOR_NOTICE: NamedStatement = {
  name: 'push_subscriptions_for_notice',
  text: `SELECT service, service_id, service_data, want_data, enc_key FROM push_subscriptions
          WHERE account = $1 AND $2::smallint = ANY(namespaces) AND signature_ts > $3`,
};

export class SubscriptionStore {
  constructor(private readonly db: Database) {}

  /** Inserts or renews the (account, service, service id) row; true when it is new. */
  async upsert(request: SubscribeRequest, target: DeliveryTarget): Promise<boolean> {
    const res = await this.db.query<{ inserted: boolean }>(
      `INSERT INTO push_subscriptions (account, session_ed25519, subaccount_token, subaccount_sig, signature,
         signature_ts, want_data, namespaces, enc_key, service, service_id, service_data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::smallint[], $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT push_subscriptions_unique DO UPDATE SET
         session_ed25519 = EXCLUDED.session_ed25519, subaccount_token = EXCLUDED.subaccount_token,
         subaccount_sig = EXCLUDED.subaccount_sig, signature = EXCLUDED.signature,
         signature_ts = EXCLUDED.signature_ts, want_data = EXCLUDED.want_data,
         namespaces = EXCLUDED.namespaces, enc_key = EXCLUDED.enc_key, service_data = EXCLUDED.service_data
       RETURNING (xmax = 0) AS inserted`,
      [
        request.key.account,
        request.sessionEd25519 ?? null,
        request.subaccount?.token ?? null,
        request.subaccount?.signature ?? null,
        request.signature,
        request.sigTs,
        request.wantData,
        request.namespaces,
        request.encKey,
        target.service,
        target.serviceId,
        target.serviceData ?? null,
      ],
    );
    return res.rows[0]!.inserted === true;
  }

  /** True when a row was removed. */
  async remove(account: Buffer, service: string, serviceId: string): Promise<boolean> {
    const res = await this.db.query('DELETE FROM push_subscriptions WHERE account = $1 AND service = $2 AND service_id = $3', [account, service, serviceId]);
    return res.rowCount > 0;
  }

  /** Drops every subscription of a device or endpoint the provider called invalid; returns how many. */
  async removeTarget(service: string, serviceId: string): Promise<number> {
    const res = await this.db.query('DELETE FROM push_subscriptions WHERE service = $1 AND service_id = $2', [service, serviceId]);
    return res.rowCount;
  }

  /** Live subscriptions of an account that cover a namespace. */
  async forNotice(account: Buffer, namespace: number, nowSeconds: number): Promise<NoticeSubscription[]> {
    const res = await this.db.query<Row>(FOR_NOTICE, [account, namespace, nowSeconds - SIGNATURE_EXPIRY_SECONDS]);
    return res.rows.map((r) => ({
      service: String(r.service),
      serviceId: String(r.service_id),
      ...(r.service_data === null ? {} : { serviceData: buf(r.service_data) }),
      wantData: r.want_data === true,
      encKey: buf(r.enc_key),
    }));
  }

  /** Live subscriptions of an account, as storage-node monitor requests need them. */
  async forMonitoring(account: Buffer, nowSeconds: number): Promise<MonitoredSubscription[]> {
    return (await this.forMonitoringMany([account], nowSeconds)).get(account.toString('hex')) ?? [];
  }

  /** The same for many accounts in one query, by account hex; accounts without one are absent. */
  async forMonitoringMany(accounts: readonly Buffer[], nowSeconds: number): Promise<Map<string, MonitoredSubscription[]>> {
    const out = new Map<string, MonitoredSubscription[]>();
    if (accounts.length === 0) return out;
    const res = await this.db.query<Row>(
      `SELECT account, session_ed25519, subaccount_token, subaccount_sig, signature, signature_ts, want_data, namespaces
         FROM push_subscriptions WHERE account = ANY($1::bytea[]) AND signature_ts > $2 ORDER BY signature_ts DESC`,
      [accounts, nowSeconds - SIGNATURE_EXPIRY_SECONDS],
    );
    for (const r of res.rows) {
      const sub: MonitoredSubscription = {
        account: buf(r.account),
        signature: buf(r.signature),
        sigTs: Number(r.signature_ts),
        wantData: r.want_data === true,
        namespaces: (r.namespaces as unknown[]).map(Number),
      };
      const ed = optionalBuf(r.session_ed25519);
      if (ed) sub.sessionEd25519 = ed;
      const token = optionalBuf(r.subaccount_token);
      const tokenSig = optionalBuf(r.subaccount_sig);
      if (token && tokenSig) {
        sub.subaccountToken = token;
        sub.subaccountSig = tokenSig;
      }
      const key = sub.account.toString('hex');
      out.set(key, [...(out.get(key) ?? []), sub]);
    }
    return out;
  }

  /** Every account with a live subscription (what the swarm monitors must watch). */
  async accounts(nowSeconds: number): Promise<Buffer[]> {
    const res = await this.db.query<Row>('SELECT DISTINCT account FROM push_subscriptions WHERE signature_ts > $1', [nowSeconds - SIGNATURE_EXPIRY_SECONDS]);
    return res.rows.map((r) => buf(r.account));
  }

  /** Deletes subscriptions whose signature is 14 days old; returns how many. */
  async dropExpired(nowSeconds: number): Promise<number> {
    const res = await this.db.query('DELETE FROM push_subscriptions WHERE signature_ts <= $1', [nowSeconds - SIGNATURE_EXPIRY_SECONDS]);
    return res.rowCount;
  }

  async count(): Promise<number> {
    const res = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM push_subscriptions');
    return res.rows[0]!.n;
  }
}
