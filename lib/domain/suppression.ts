/** Suppression list entries: addresses mailroom will not mail for a tenant. */
import * as z from 'zod';

export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribe', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Longest `detail` of a suppression added through the API. */
export const MAX_SUPPRESSION_DETAIL = 1000;

const DETAIL_MESSAGE = `must be a string of at most ${MAX_SUPPRESSION_DETAIL} characters`;

/** `PUT /v1/suppressions/{email}` (the body may be empty). */
export const SUPPRESSION_INPUT = z.strictObject({
  reason: z
    .enum(SUPPRESSION_REASONS, { error: `must be one of ${SUPPRESSION_REASONS.join(', ')}` })
    .nullish()
    .describe('`manual` when absent or null'),
  detail: z.string({ error: DETAIL_MESSAGE }).max(MAX_SUPPRESSION_DETAIL, DETAIL_MESSAGE).optional(),
});

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
