-- Facts about the server itself that must hold across restarts and replicas, by key
-- (e.g. `initial_admins_seeded`: OPEN_GROUPS_INITIAL_ADMINS was applied, at that time).
CREATE TABLE server_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
