-- X-SOGS-Nonce values already used, kept until their request's timestamp can no longer pass the
-- ±24 h check (then a replay is refused by the timestamp alone). Used when no Redis is
-- configured: bounded by disk, shared by every replica on the database, pruned by the cleanup job.
-- Inserts commit without waiting for a disk flush (auth/nonces.ts): a crash forgets at most the
-- last fraction of a second's nonces.
CREATE TABLE nonces (
  nonce  BYTEA PRIMARY KEY,
  expiry DOUBLE PRECISION NOT NULL
);
CREATE INDEX nonces_expiry ON nonces (expiry);
