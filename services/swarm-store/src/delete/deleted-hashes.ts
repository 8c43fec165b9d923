// How delete_all / delete_before / expire_all report what they touched: a sorted list for one
// namespace, or {namespace: [sorted hashes]} for "all"; the node signs one ascii-sorted list.
import type { Json, JsonObject } from '../rpc/params';
import type { HashInNamespace, NamespaceScope } from '../storage/message-store';

export function reportByScope(scope: NamespaceScope, rows: readonly HashInNamespace[]): { listed: Json; signedHashes: string } {
  const all = rows.map((r) => r.hash).sort();
  if (scope !== 'all') return { listed: all, signedHashes: all.join('') };
  const byNs: JsonObject = {};
  for (const r of [...rows].sort((a, b) => (a.hash < b.hash ? -1 : 1))) {
    const key = String(r.namespace);
    ((byNs[key] ??= []) as string[]).push(r.hash);
  }
  return { listed: byNs, signedHashes: all.join('') };
}
