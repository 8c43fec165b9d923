-- Revocations move with their account, as messages do: to a member that joins the swarm and to
-- the new swarm of an account that leaves (marked, then dropped after the grace period). A push
-- of an account's revocations that a peer could not take waits in the replication queue as kind
-- 'revocations' with the account in `owner`, and is sent again from the lists as they are then.
ALTER TABLE revoked_subaccounts ADD COLUMN handed_over_ms bigint;
CREATE INDEX revoked_subaccounts_handed_over ON revoked_subaccounts (handed_over_ms) WHERE handed_over_ms IS NOT NULL;

ALTER TABLE replication_queue ADD COLUMN owner bytea;
ALTER TABLE replication_queue DROP CONSTRAINT replication_queue_kind_check;
ALTER TABLE replication_queue ADD CONSTRAINT replication_queue_kind_check CHECK (kind IN ('push', 'forward', 'revocations'));
