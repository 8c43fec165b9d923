/** What the file routes report; implemented with prom-client in ../metrics.ts. */
export type RejectionReason = 'too_large' | 'empty' | 'bad_ttl' | 'not_found' | 'bad_method' | 'bad_onion_request';

export interface FileMetrics {
  uploaded(bytes: number): void;
  downloaded(bytes: number): void;
  rejected(reason: RejectionReason): void;
}
