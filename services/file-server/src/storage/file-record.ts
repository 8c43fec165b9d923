/** What the server knows about one stored file. Times are unix seconds (float), as on the wire. */
export interface FileRecord {
  id: string;
  size: number;
  uploaded: number;
  expires: number;
}

/** Columns every metadata query returns, in FileRecord shape. */
export const FILE_RECORD_COLUMNS = `id, size::float8 AS size,
  EXTRACT(EPOCH FROM uploaded)::float8 AS uploaded, EXTRACT(EPOCH FROM expires)::float8 AS expires`;
