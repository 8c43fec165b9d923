// The storage server protocol a Starling node speaks, as clients read it: `info`'s `version`, the
// map's `storage_server_version`, `get_stats`, and the `hf` of every JSON answer. Session clients
// refuse nodes older than what they require (Android: 2.0.7; both check hf against [19, 4]).
export const STORAGE_SERVER_VERSION: readonly [number, number, number] = [2, 8, 0];
export const HARDFORK: readonly [number, number] = [19, 4];
export const STORAGE_SERVER_VERSION_TEXT = STORAGE_SERVER_VERSION.join('.');
