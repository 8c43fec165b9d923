-- One row per stored attachment. The id is the content address (keyed BLAKE2b of the encrypted
-- bytes), so uploading the same bytes again refreshes the row instead of storing a copy.
CREATE TABLE files (
  id        text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{44}$'),
  size      bigint NOT NULL CHECK (size >= 0),
  uploaded  timestamptz NOT NULL DEFAULT now(),
  expires   timestamptz NOT NULL
);

-- The expiry job walks this index.
CREATE INDEX files_expires_idx ON files (expires);

-- File bytes when FILE_SERVER_BLOB_STORE=db. Separate from the metadata so that info, extend and
-- expiry never read the bytes; deleting a files row deletes its blob. The data is already
-- encrypted, so compressing it would only cost CPU (EXTERNAL = out of line, uncompressed).
CREATE TABLE file_blobs (
  id    text PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
  data  bytea NOT NULL
);
ALTER TABLE file_blobs ALTER COLUMN data SET STORAGE EXTERNAL;
