// Protocol limits and tolerances (storage-onion 1.3, 1.9).
export const MAX_MESSAGE_BODY = 76_800;
export const MAX_MESSAGE_BODY_BASE64 = 102_400;
export const RETRIEVE_MAX_SIZE = 7_800_000;
export const BATCH_REQUEST_MAX = 20;
export const SIGNATURE_TOLERANCE_MS = 60_000;
export const SIGNATURE_TOLERANCE_FORWARDED_MS = 70_000;
export const STORE_TOLERANCE_MS = 10_000;
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;
