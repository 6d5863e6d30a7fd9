/** Answers of the suppression routes. */
import * as z from 'zod';
import { SUPPRESSION_REASONS } from '../../domain/suppression.ts';
import { pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** An address mailroom does not send to. */
export const SUPPRESSION = named(
  'Suppression',
  z.strictObject({
    email: z.string(),
    reason: z.enum(SUPPRESSION_REASONS),
    created_at: TIMESTAMP,
    source_message_id: z.string().optional().describe('the message whose bounce or complaint added it'),
    detail: z.string().optional(),
  }),
);

export const SUPPRESSION_PAGE = pageOf('SuppressionPage', SUPPRESSION);
