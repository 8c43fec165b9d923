-- Message data is kept as the base64 text that stores carry and retrieves answer with (padded,
-- without line breaks): PostgreSQL sends bytea as hex text, which every retrieve decoded and
-- encoded again to base64, twice the bytes on the way. `size` still counts the decoded bytes.
ALTER TABLE messages ALTER COLUMN data TYPE text USING replace(encode(data, 'base64'), E'\n', '');
ALTER TABLE messages RENAME COLUMN data TO data_base64;
