/** Answers of the list and contact routes. */
import * as z from 'zod';
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

/** `POST /v1/lists/{id}/contacts/import`: every row accounted for. */
export const IMPORT_RESULT = named(
  'ImportResult',
  z.strictObject({
    imported: z.int().min(0).describe('addresses written (added or replaced)'),
    failed_count: z.int().min(0).describe('rows not imported, all of them'),
    failed: z
      .array(
        z.strictObject({
          row: z.int().min(1).describe('1 for the first contact'),
          line: z.int().min(1).optional().describe('CSV: the line of the file the row starts on'),
          email: z.string().optional(),
          errors: z.array(FIELD_PROBLEM),
          errors_omitted: z.int().min(1).optional(),
        }),
      )
      .describe('the first 10,000 rows not imported, in row order'),
    unsubscribed: z.array(z.string()).describe('addresses written whose owner unsubscribed: they stay unsubscribed'),
    duplicates: z
      .array(z.strictObject({ row: z.int().min(1), email: z.string(), kept_row: z.int().min(1) }))
      .describe('rows superseded by a later row for the same address'),
  }),
);
