/** Validation of an export request (`POST /v1/exports`). Every problem is named with its field. */
import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { EXPORT_TYPES, type ExportType } from './export-job.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { isDay } from './report.ts';

/** Longest range one export may cover, in days (a leap year). */
export const MAX_EXPORT_DAYS = 366;

/** A validated export request. */
export interface ExportRequest {
  type: ExportType;
  from: string;
  to: string;
}

const DAY_MESSAGE = 'must be a day as YYYY-MM-DD';
const day = z.string({ error: DAY_MESSAGE }).refine(isDay, DAY_MESSAGE).describe('a UTC day, YYYY-MM-DD; both days included');

/** An export request's body (the length of the range is checked in parseExportRequest). */
export const EXPORT_REQUEST = z.strictObject({
  type: z.enum(EXPORT_TYPES, { error: `must be one of ${EXPORT_TYPES.join(', ')}` }),
  from: day,
  to: day,
});

/** Validates a parsed JSON body. Throws ValidationError naming every offending field. */
export function parseExportRequest(body: unknown): ExportRequest {
  const parsed = parseRequest(EXPORT_REQUEST, body);
  if (!parsed.success) throw new ValidationError('The export request is invalid.', zodProblems(parsed.error));
  const { type, from, to } = parsed.data;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1) throw new ValidationError('The export request is invalid.', [{ field: 'to', message: 'must not be before from' }]);
  if (days > MAX_EXPORT_DAYS) {
    throw new ValidationError('The export request is invalid.', [{ field: 'to', message: `at most ${MAX_EXPORT_DAYS} days per export` }]);
  }
  return { type, from, to };
}
