/** Schemas every part of the API shares: times, days, pages, and the error document. */
import * as z from 'zod';
import { named } from './registry.ts';

/** An ISO 8601 UTC time, as mailroom writes them (`2026-11-28T15:25:59.571Z`). */
export const TIMESTAMP = named('Timestamp', z.iso.datetime().describe('ISO 8601 time in UTC'));

/** A UTC day, `YYYY-MM-DD`. */
export const DAY = named('Day', z.iso.date().describe('a UTC day, YYYY-MM-DD'));

/** One problem with one field of a request. */
export const FIELD_PROBLEM = named(
  'FieldProblem',
  z.strictObject({
    field: z.string().describe('path of the field: `to[1]`, `headers.X-Campaign`, `(body)` for the whole body'),
    message: z.string().describe('what is wrong with it, e.g. "is required", "at most 50 recipients"'),
  }),
);

/** The body of an error of one request: what every error answer and a batch's failed item hold. */
export const ERROR_BODY = named(
  'ErrorBody',
  z.strictObject({
    code: z.string().describe('stable, machine-readable: `invalid_request`, `not_found`, `rate_limited`…'),
    message: z.string().describe('for people; safe to show'),
    details: z
      .unknown()
      .optional()
      .describe('`invalid_request`: a list of FieldProblem; other codes: an object that names what is concerned'),
  }),
);

/** `{"error": {...}}`: every answer that is not a success. */
export const ERROR_DOCUMENT = named('ErrorDocument', z.strictObject({ error: ERROR_BODY }));

/** A page of a listing: its items, and the cursor of the next page (`null` on the last). */
export function pageOf<T extends z.ZodType>(id: string, item: T) {
  return named(
    id,
    z.strictObject({
      data: z.array(item),
      next_cursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
    }),
  );
}
