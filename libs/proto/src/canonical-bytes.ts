// Unambiguous byte encoding for signed payloads: a domain tag, then every field as a 4-byte
// big-endian length followed by its UTF-8 bytes. No field can run into the next one, and a
// signature made for one kind of payload never verifies as another.

export function canonicalBytes(domain: string, fields: readonly string[]): Uint8Array {
  const parts = [domain, ...fields].map((f) => Buffer.from(f, 'utf8'));
  const out = Buffer.alloc(parts.reduce((n, p) => n + 4 + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.writeUInt32BE(part.length, offset);
    part.copy(out, offset + 4);
    offset += 4 + part.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Decimal text of a u64 given as string, number or bigint ("007" and 7 encode alike). */
export function u64Text(value: string | number | bigint): string {
  return BigInt(value).toString(10);
}
