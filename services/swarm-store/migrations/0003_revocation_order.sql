-- Revocations are kept newest first, 50 per account. Tokens revoked by one request share its
-- time, so an insertion counter orders them as listed (the last listed is the newest); a later
-- revocation of a held token takes a new counter value and moves it to the front.
ALTER TABLE revoked_subaccounts ADD COLUMN seq bigserial;
CREATE INDEX revoked_subaccounts_order ON revoked_subaccounts (owner, revoked_ms DESC, seq DESC);
