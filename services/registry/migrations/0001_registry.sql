-- The registry's own Ed25519 identity: one row, created by the first replica that starts, so
-- that every replica signs maps with the same key.
CREATE TABLE registry_identity (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  ed25519_seed bytea NOT NULL CHECK (length(ed25519_seed) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every node that announced itself and has not timed out. Whether it is in the map follows
-- from last_seen_ms (heartbeats) and failed_tests (reachability).
CREATE TABLE nodes (
  pubkey_ed25519 text PRIMARY KEY,
  role smallint NOT NULL,
  pubkey_x25519 text NOT NULL,
  grpc_address text NOT NULL,
  public_ip text NOT NULL,
  public_port integer NOT NULL,
  version text NOT NULL,
  -- Node-signed timestamp of its latest announcement or heartbeat: must increase (replay guard).
  signed_ms bigint NOT NULL,
  -- Registry clock at the latest announcement or heartbeat.
  last_seen_ms bigint NOT NULL,
  first_seen_ms bigint NOT NULL,
  failed_tests integer NOT NULL DEFAULT 0,
  -- u64 swarm id; NULL while the node is in no swarm (relays, new or unreachable store nodes).
  swarm_id numeric(20, 0)
);

-- Published maps; the newest is what everyone serves. Old versions are pruned.
CREATE TABLE network_maps (
  version bigint PRIMARY KEY,
  created_ms bigint NOT NULL,
  -- Hex SHA-256 of the node list (the seed API's block_hash).
  hash text NOT NULL,
  -- Encoded starling.registry.v1.NetworkMap, signature included.
  map bytea NOT NULL
);
