// The texts an account signs for storage RPCs on its own swarm (storage-onion.md 1.3, 1.6). The
// namespace is written in decimal and left out for namespace 0; integers are base-10 ASCII.

export function namespacePart(namespace: number): string {
  return namespace === 0 ? '' : String(namespace);
}

export function retrieveSignatureText(namespace: number, timestampMs: number): string {
  return `retrieve${namespacePart(namespace)}${timestampMs}`;
}

export function storeSignatureText(namespace: number, timestampMs: number): string {
  return `store${namespacePart(namespace)}${timestampMs}`;
}

export type ExpireMode = 'shorten' | 'extend' | '';

export function expireSignatureText(mode: ExpireMode, expiryMs: number, hashes: readonly string[]): string {
  return `expire${mode}${expiryMs}${hashes.join('')}`;
}

/** delete carries no timestamp (so upstream's signature is replayable; we follow the protocol). */
export function deleteSignatureText(hashes: readonly string[]): string {
  return `delete${hashes.join('')}`;
}
