-- Community server schema (SOGS API v3). Times are float unix seconds, as on the wire.
-- Session ids are stored in full, with their prefix (05 unblinded, 15/25 blinded, ff system user).

CREATE TABLE rooms (
  id               BIGSERIAL PRIMARY KEY,
  token            TEXT NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{1,64}$'),
  name             TEXT NOT NULL,
  description      TEXT,
  image            BIGINT,                       -- files.id; FK added below (circular)
  created          DOUBLE PRECISION NOT NULL,
  message_sequence BIGINT NOT NULL DEFAULT 0,    -- bumped by every post/edit/delete/reaction change
  info_updates     BIGINT NOT NULL DEFAULT 0,    -- bumped by metadata, pin and moderator changes
  active_users     BIGINT NOT NULL DEFAULT 0,    -- recomputed by the cleanup job
  read             BOOLEAN NOT NULL DEFAULT TRUE,
  accessible       BOOLEAN NOT NULL DEFAULT TRUE,
  write            BOOLEAN NOT NULL DEFAULT TRUE,
  upload           BOOLEAN NOT NULL DEFAULT TRUE
);
-- Tokens are case-insensitive (upstream uses CITEXT, which PGlite lacks).
CREATE UNIQUE INDEX rooms_token_ci ON rooms (lower(token));

CREATE TABLE users (
  id          BIGSERIAL PRIMARY KEY,
  session_id  TEXT NOT NULL UNIQUE CHECK (session_id ~ '^[0-9a-f]{66}$'),
  created     DOUBLE PRECISION NOT NULL,
  last_active DOUBLE PRECISION NOT NULL,
  banned      BOOLEAN NOT NULL DEFAULT FALSE,   -- global ban
  moderator   BOOLEAN NOT NULL DEFAULT FALSE,   -- global moderator
  admin       BOOLEAN NOT NULL DEFAULT FALSE,   -- global admin
  visible_mod BOOLEAN NOT NULL DEFAULT FALSE,   -- global mods are hidden unless made visible
  CHECK (NOT admin OR moderator)
);

-- A 05 user that an admin targeted before they ever authenticated blinded: when someone
-- authenticates with the matching (sign-cleared) 15 id, the 05 user's roles move to them.
CREATE TABLE needs_blinding (
  blinded_abs TEXT PRIMARY KEY,
  "user"      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE
);

CREATE TABLE files (
  id        BIGSERIAL PRIMARY KEY,
  room      BIGINT REFERENCES rooms(id) ON DELETE SET NULL,
  uploader  BIGINT REFERENCES users(id),
  size      BIGINT NOT NULL,
  uploaded  DOUBLE PRECISION NOT NULL,
  expiry    DOUBLE PRECISION,                   -- NULL = never (room image, pinned attachment)
  filename  TEXT,
  message   BIGINT,                             -- messages.id once claimed by a post
  data      BYTEA NOT NULL
);
CREATE INDEX files_expiry ON files (expiry);
CREATE INDEX files_room ON files (room);
CREATE INDEX files_message ON files (message);
ALTER TABLE rooms ADD CONSTRAINT rooms_image_fk FOREIGN KEY (image) REFERENCES files(id) ON DELETE SET NULL;

CREATE TABLE messages (
  id              BIGSERIAL PRIMARY KEY,
  room            BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  "user"          BIGINT NOT NULL REFERENCES users(id),
  posted          DOUBLE PRECISION NOT NULL,
  edited          DOUBLE PRECISION,
  seqno_data      BIGINT NOT NULL,              -- set on create, edit, delete
  seqno_reactions BIGINT NOT NULL DEFAULT 0,    -- set on reaction add/remove
  seqno_creation  BIGINT NOT NULL,              -- set once
  seqno           BIGINT NOT NULL,              -- max(seqno_data, seqno_reactions)
  data            BYTEA,                        -- NULL once deleted (tombstone)
  signature       BYTEA,
  filtered        BOOLEAN NOT NULL DEFAULT FALSE,
  whisper         BIGINT REFERENCES users(id),  -- directed whisper recipient
  whisper_mods    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX messages_room_seqno ON messages (room, seqno);
CREATE INDEX messages_room_id ON messages (room, id);
CREATE INDEX messages_room_user_posted ON messages (room, "user", posted);
ALTER TABLE files ADD CONSTRAINT files_message_fk FOREIGN KEY (message) REFERENCES messages(id) ON DELETE SET NULL;

CREATE TABLE message_history (
  message   BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  replaced  DOUBLE PRECISION NOT NULL,
  data      BYTEA,
  signature BYTEA
);
CREATE INDEX message_history_replaced ON message_history (replaced);

-- One row per distinct emoji on a message, in order of first use (drives "index").
CREATE TABLE reactions (
  id       BIGSERIAL PRIMARY KEY,
  message  BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  reaction TEXT NOT NULL,
  UNIQUE (message, reaction)
);
CREATE TABLE user_reactions (
  reaction BIGINT NOT NULL REFERENCES reactions(id) ON DELETE CASCADE,
  "user"   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at       DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (reaction, "user")
);
CREATE INDEX user_reactions_at ON user_reactions (reaction, at);

CREATE TABLE pinned_messages (
  room      BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  message   BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  pinned_by BIGINT NOT NULL REFERENCES users(id),
  pinned_at DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (room, message)
);

-- Room activity: drives active_users (7 days), pruned after 60 days.
CREATE TABLE room_users (
  room   BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  "user" BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  last_active DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (room, "user")
);
CREATE INDEX room_users_active ON room_users (room, last_active);

-- Per-user room overrides; NULL permission = use the room default.
CREATE TABLE user_permission_overrides (
  room        BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  "user"      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  banned      BOOLEAN NOT NULL DEFAULT FALSE,
  read        BOOLEAN,
  accessible  BOOLEAN,
  write       BOOLEAN,
  upload      BOOLEAN,
  moderator   BOOLEAN NOT NULL DEFAULT FALSE,
  admin       BOOLEAN NOT NULL DEFAULT FALSE,
  visible_mod BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (room, "user"),
  CHECK (NOT admin OR moderator)
);

CREATE TABLE user_permission_futures (
  id     BIGSERIAL PRIMARY KEY,
  room   BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  "user" BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at     DOUBLE PRECISION NOT NULL,
  read   BOOLEAN,
  write  BOOLEAN,
  upload BOOLEAN
);
CREATE INDEX user_permission_futures_at ON user_permission_futures (at);

-- Scheduled unbans; room NULL = global ban.
CREATE TABLE user_ban_futures (
  id     BIGSERIAL PRIMARY KEY,
  room   BIGINT REFERENCES rooms(id) ON DELETE CASCADE,
  "user" BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  at     DOUBLE PRECISION NOT NULL,
  banned BOOLEAN NOT NULL
);
CREATE INDEX user_ban_futures_at ON user_ban_futures (at);

-- Blinded direct messages: opaque ciphertexts between 15/25 ids.
CREATE TABLE inbox (
  id        BIGSERIAL PRIMARY KEY,
  recipient BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  sender    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body      BYTEA NOT NULL,
  posted_at DOUBLE PRECISION NOT NULL,
  expiry    DOUBLE PRECISION NOT NULL
);
CREATE INDEX inbox_recipient ON inbox (recipient, id);
CREATE INDEX inbox_sender ON inbox (sender, id);
CREATE INDEX inbox_expiry ON inbox (expiry);
