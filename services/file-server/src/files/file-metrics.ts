/** What the file routes report; implemented with prom-client in ../metrics.ts. */
export const REJECTION_REASONS = ['too_large', 'empty', 'bad_ttl', 'not_found', 'bad_method', 'bad_onion_request'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface FileMetrics {
  uploaded(bytes: number): void;
  downloaded(bytes: number): void;
  rejected(reason: RejectionReason): void;
}
