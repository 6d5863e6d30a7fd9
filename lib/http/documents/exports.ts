/** Answers of the export routes. */
import * as z from 'zod';
import { EXPORT_STATUSES, EXPORT_TYPES } from '../../domain/export-job.ts';
import { DAY, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** `202` for a new export. */
export const EXPORT_QUEUED = named('ExportQueued', z.strictObject({ id: z.string(), status: z.literal('queued') }));

/** An export job; `download_url` and `expires_at` once it is done. */
export const EXPORT = named(
  'Export',
  z.strictObject({
    id: z.string(),
    type: z.enum(EXPORT_TYPES),
    from: DAY,
    to: DAY,
    status: z.enum(EXPORT_STATUSES),
    row_count: z.int().min(0),
    created_at: TIMESTAMP,
    started_at: TIMESTAMP.optional(),
    finished_at: TIMESTAMP.optional(),
    download_url: z.url().optional().describe('the CSV file; a fresh link on every read, valid for an hour; no API key needed'),
    expires_at: TIMESTAMP.optional().describe('when download_url stops working'),
  }),
);
