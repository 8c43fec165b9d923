-- Messages held by this node. `id` is the per-node insertion order that retrieve's last_hash
-- paging follows; the hash is the global identity of a message (duplicates merge on it).
CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  owner bytea NOT NULL,            -- 33-byte prefixed account id (netid byte + key)
  namespace smallint NOT NULL,
  timestamp_ms bigint NOT NULL,
  expiry_ms bigint NOT NULL,
  size integer NOT NULL,           -- octet length of data, summed for quotas and metrics
  data bytea NOT NULL,
  handed_over_ms bigint            -- set once the account left this swarm and its data was pushed on
);
CREATE INDEX messages_owner_namespace_id ON messages (owner, namespace, id);
CREATE INDEX messages_expiry ON messages (expiry_ms);
CREATE INDEX messages_handed_over ON messages (handed_over_ms) WHERE handed_over_ms IS NOT NULL;

-- Subaccount tokens the account owner revoked; the newest 50 per account are kept.
CREATE TABLE revoked_subaccounts (
  owner bytea NOT NULL,
  token bytea NOT NULL,
  revoked_ms bigint NOT NULL,
  PRIMARY KEY (owner, token)
);

-- Replication a swarm peer has not acknowledged yet, retried until it does (or the work is moot).
--   kind 'push': the message `hash` is pushed as data (stores, catch-up, hand-over);
--   kind 'forward': a recursive request (delete, expire, ...) replayed at its original time.
CREATE TABLE replication_queue (
  id bigserial PRIMARY KEY,
  peer_ed25519 text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('push', 'forward')),
  hash text,
  method text,
  params_json text,
  received_ms bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_ms bigint NOT NULL
);
CREATE INDEX replication_queue_due ON replication_queue (next_attempt_ms);
