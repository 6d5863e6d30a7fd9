/** Answers of the list and contact routes. */
import * as z from 'zod';
import { IMPORT_STATES } from '../../domain/contact-import-job.ts';
import { CONTACT_STATUSES } from '../../domain/mailing-list.ts';
import { FIELD_PROBLEM, pageOf, TIMESTAMP } from './common.ts';
import { named } from './registry.ts';

/** A mailing list. It shows no contact count: page through its contacts instead. */
export const LIST = named(
  'List',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
  }),
);

export const LIST_PAGE = pageOf('ListPage', LIST);

/** A contact of a list, with its effective status. */
export const CONTACT = named(
  'Contact',
  z.strictObject({
    email: z.string(),
    status: z.enum(CONTACT_STATUSES).describe('`unsubscribed` also when the person unsubscribed through a link'),
    unsubscribed_at: TIMESTAMP.optional().describe('when the person unsubscribed through a link'),
    unsubscribe_scope: z.enum(['list', 'marketing']).optional().describe('from this list, or from all marketing mail'),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
  }),
);

export const CONTACT_PAGE = pageOf('ContactPage', CONTACT);

const rows = z.int().min(0);

/** Rows not imported, and why. */
const FAILED_ROWS = z
  .array(
    z.strictObject({
      row: z.int().min(1).describe('1 for the first contact'),
      line: z.int().min(1).optional().describe('CSV: the line of the file the row starts on'),
      email: z.string().optional(),
      errors: z.array(FIELD_PROBLEM),
      errors_omitted: z.int().min(1).optional(),
    }),
  )
  .describe('the first 10,000 rows not imported, in row order');
const UNSUBSCRIBED = z.array(z.string()).describe('addresses written whose owner unsubscribed: they stay unsubscribed');
const DUPLICATES = z
  .array(z.strictObject({ row: z.int().min(1), email: z.string(), kept_row: z.int().min(1) }))
  .describe('rows superseded by a later row for the same address');

/** `POST /v1/lists/{id}/contacts/import` written within the request: every row accounted for. */
export const IMPORT_RESULT = named(
  'ImportResult',
  z.strictObject({
    imported: rows.describe('addresses written (added or replaced)'),
    failed_count: rows.describe('rows not imported, all of them'),
    failed: FAILED_ROWS,
    unsubscribed: UNSUBSCRIBED,
    duplicates: DUPLICATES,
  }),
);

/** A contact import run as a job: how far it got, and once `completed` the result a small import answers. */
export const IMPORT_JOB = named(
  'ImportJob',
  z.strictObject({
    id: z.string().describe('`GET /v1/lists/{id}/contacts/imports/{import_id}`'),
    list_id: z.string(),
    state: z
      .enum(IMPORT_STATES)
      .describe('`queued` until a run starts it, `running` while contacts are written, then `completed` or `failed`'),
    rows_total: rows.describe('rows in the body'),
    rows_done: rows.describe('rows accounted for so far: bad and superseded rows, and the rows of the contacts written'),
    imported: rows.describe('contacts written so far'),
    failed_count: rows.describe('bad rows (known once the job has started)'),
    failed: FAILED_ROWS.optional().describe('once completed: the first 10,000 rows not imported, in row order'),
    unsubscribed: UNSUBSCRIBED.optional(),
    duplicates: DUPLICATES.optional(),
    error: z
      .strictObject({ code: z.enum(['list_not_found', 'import_failed']), message: z.string() })
      .optional()
      .describe('why a `failed` job failed: its list was deleted while it ran, or mailroom gave up; the contacts written stay'),
    created_at: TIMESTAMP,
    updated_at: TIMESTAMP,
    started_at: TIMESTAMP.optional(),
    completed_at: TIMESTAMP.optional(),
    expires_at: TIMESTAMP.describe('after this the job is not found'),
  }),
);
