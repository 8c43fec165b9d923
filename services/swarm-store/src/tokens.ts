// Injection tokens of the storage node's own providers.
export const SWARM_STORE_CONFIG = Symbol('SwarmStoreConfig');
/** The node's 32-byte identity seed (its Ed25519 key), from its data folder. */
export const NODE_SEED = Symbol('NodeSeed');
/** What RPC handlers use of the node (NodeServices). */
export const NODE_SERVICES = Symbol('NodeServices');
export const NODE_METRICS = Symbol('NodeMetrics');
