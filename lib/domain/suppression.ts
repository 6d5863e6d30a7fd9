/** Suppression list entries: addresses mailroom will not mail for a tenant. */

export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribe', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  tenant: string;
  /** Normalised address (domain in lower case). */
  email: string;
  reason: SuppressionReason;
  /** Message that caused it, when one did. */
  sourceMessageId?: string;
  /** Relay answer or free text kept with it. */
  detail?: string;
  /** ISO time it was added. */
  createdAt: string;
}

/** A page of results and the cursor for the next page, when there is one. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}
