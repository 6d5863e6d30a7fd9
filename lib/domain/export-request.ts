/** Validation of an export request (`POST /v1/exports`). Every problem is named with its field. */
import { ValidationError, type FieldProblem } from './errors.ts';
import { EXPORT_TYPES, type ExportType } from './export-job.ts';
import { isDay } from './report.ts';

/** Longest range one export may cover, in days (a leap year). */
export const MAX_EXPORT_DAYS = 366;

/** A validated export request. */
export interface ExportRequest {
  type: ExportType;
  from: string;
  to: string;
}

const FIELDS = new Set(['type', 'from', 'to']);

/** Validates a parsed JSON body. Throws ValidationError naming every offending field. */
export function parseExportRequest(body: unknown): ExportRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('The export request is invalid.', [{ field: '(body)', message: 'must be a JSON object' }]);
  }
  const input = body as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const unknown = Object.keys(input).filter((key) => !FIELDS.has(key));
  if (unknown.length) problems.push({ field: unknown.join(', '), message: `unknown field(s): ${unknown.join(', ')}` });
  const { type, from, to } = input;
  if (typeof type !== 'string' || !(EXPORT_TYPES as readonly string[]).includes(type)) {
    problems.push({ field: 'type', message: `must be one of ${EXPORT_TYPES.join(', ')}` });
  }
  const fromOk = typeof from === 'string' && isDay(from);
  const toOk = typeof to === 'string' && isDay(to);
  if (!fromOk) problems.push({ field: 'from', message: 'must be a day as YYYY-MM-DD' });
  if (!toOk) problems.push({ field: 'to', message: 'must be a day as YYYY-MM-DD' });
  if (fromOk && toOk) {
    const days = (Date.parse(`${to as string}T00:00:00Z`) - Date.parse(`${from as string}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) problems.push({ field: 'to', message: 'must not be before from' });
    else if (days > MAX_EXPORT_DAYS) problems.push({ field: 'to', message: `at most ${MAX_EXPORT_DAYS} days per export` });
  }
  if (problems.length) throw new ValidationError('The export request is invalid.', problems);
  return { type: type as ExportType, from: from as string, to: to as string };
}
