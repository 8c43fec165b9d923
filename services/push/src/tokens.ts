// Injection tokens of the push service's own providers (the configuration's is PUSH_SETTINGS).
/** The server identity (Ed25519; its X25519 key is what onion requests are encrypted to). */
export const PUSH_KEYS = Symbol('PushKeys');
/** The delivery providers by service name (ReadonlyMap<string, PushProvider>). */
export const PUSH_PROVIDERS = Symbol('PushProviders');
