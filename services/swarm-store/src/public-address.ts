// A StatefulSet gives every pod the same environment, but each storage node has its own public
// address (its own LoadBalancer or node port). The operator lists them all, in ordinal order, and
// each node publishes the entry of its own ordinal.
import { ConfigError } from '@starling/platform';

export interface PublicAddress {
  host: string;
  port?: number;
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`. */
export function parsePublicAddress(entry: string): PublicAddress | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+))(?::(\d{1,5}))?$/.exec(entry);
  if (!m) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: (m[1] ?? m[2])!, ...(port === undefined ? {} : { port }) };
}

/**
 * The address of node `index` in a comma-separated list (SWARM_STORE_PUBLIC_ADDRESSES), or a
 * ConfigError naming what is wrong.
 */
export function publicAddressOf(list: string, index: number | undefined): PublicAddress {
  const entries = list.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => parsePublicAddress(e) === undefined);
  const problems: string[] = [];
  if (bad.length > 0) problems.push(`SWARM_STORE_PUBLIC_ADDRESSES: ${bad.map((e) => JSON.stringify(e)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not host, host:port or [v6]:port`);
  if (index === undefined) problems.push('SWARM_STORE_PUBLIC_ADDRESSES needs SWARM_STORE_NODE_INDEX: which entry is this node (its StatefulSet ordinal)');
  else if (index >= entries.length) problems.push(`SWARM_STORE_NODE_INDEX is ${index}, but SWARM_STORE_PUBLIC_ADDRESSES has ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: give one per node`);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsePublicAddress(entries[index!]!)!;
}
