/**
 * What a contact import will do with its rows, decided before anything is written: each bad
 * row is a failure with its problems, each row superseded by a later row for the same address
 * is a duplicate, and the last valid row per address is a contact to write. Contacts are
 * written in address order, in steps of a fixed size, so that a job cut short can go on from
 * the step it recorded last and write exactly the same contacts again.
 */
import type { FieldProblem } from './errors.ts';
import { checkContact, importRowsFromCsv, importRowsFromJson, type ContactInput, type ImportRow } from './list-requests.ts';

/** A row that was not imported, and why. */
export interface FailedRow {
  row: number;
  line?: number;
  email?: string;
  errors: FieldProblem[];
  /** Further problems of the row, left out to keep the answer small. */
  errors_omitted?: number;
}

/** A row superseded by a later row for the same address. */
export interface DuplicateRow {
  row: number;
  email: string;
  kept_row: number;
}

/** The result of an import, as the API answers it. */
export interface ImportAnswer {
  /** Addresses written (added or replaced). */
  imported: number;
  /** Rows not imported, all of them. */
  failed_count: number;
  /** The first MAX_FAILED_LISTED of them, in row order. */
  failed: FailedRow[];
  /** Addresses written whose owner unsubscribed: they stay unsubscribed. */
  unsubscribed: string[];
  /** Rows superseded by a later row for the same address (the last valid row wins). */
  duplicates: DuplicateRow[];
}

/** The format of an import body. */
export type ImportFormat = 'json' | 'csv';

/** What was sent: a parsed JSON document, or CSV text. */
export type ImportSource = { format: 'json'; body: unknown } | { format: 'csv'; text: string };

/** A contact to write, with the row it comes from. */
export interface AcceptedRow {
  row: number;
  contact: ContactInput;
}

/** What an import will do with its rows. */
export interface ImportPlan {
  /** Every bad row, in row order. */
  failed: FailedRow[];
  /** The contacts to write, in address order. */
  accepted: AcceptedRow[];
  /** Superseded rows, in row order. */
  duplicates: DuplicateRow[];
}

/** Failed rows listed in an answer; `failed_count` has them all. */
export const MAX_FAILED_LISTED = 10_000;
/** Problems listed per failed row. */
export const MAX_ROW_ERRORS = 5;
/** Contacts looked up and written per step. */
export const IMPORT_STEP = 1000;

/**
 * The rows of an import: a JSON document (`{"contacts": [...]}`) or CSV text. Throws
 * ValidationError when the body as a whole cannot be read (see importRowsFromJson and
 * importRowsFromCsv).
 */
export function importRows(source: ImportSource): ImportRow[] {
  return source.format === 'json' ? importRowsFromJson(source.body) : importRowsFromCsv(source.text);
}

function failure(row: ImportRow, problems: FieldProblem[], email?: string): FailedRow {
  const errors = problems.map((p) => (p.field === '(body)' ? { ...p, field: '(row)' } : p));
  return {
    row: row.row,
    ...(row.line !== undefined && { line: row.line }),
    ...(email !== undefined && { email }),
    errors: errors.slice(0, MAX_ROW_ERRORS),
    ...(errors.length > MAX_ROW_ERRORS && { errors_omitted: errors.length - MAX_ROW_ERRORS }),
  };
}

/** Checks every row; keeps the last valid row per address and notes the rows it supersedes. */
export function planImport(rows: ImportRow[]): ImportPlan {
  const failed: FailedRow[] = [];
  const latest = new Map<string, AcceptedRow>();
  const seen = new Map<string, number[]>();
  for (const row of rows) {
    if (row.problems) {
      failed.push(failure(row, row.problems, row.email));
      continue;
    }
    const checked = checkContact(row.value);
    if (!checked.ok) {
      failed.push(failure(row, checked.problems, checked.email));
      continue;
    }
    const { email } = checked.contact;
    latest.set(email, { row: row.row, contact: checked.contact });
    const numbers = seen.get(email);
    if (numbers) numbers.push(row.row);
    else seen.set(email, [row.row]);
  }
  const duplicates: DuplicateRow[] = [];
  for (const [email, numbers] of seen) {
    const kept = numbers[numbers.length - 1]!;
    for (const row of numbers.slice(0, -1)) duplicates.push({ row, email, kept_row: kept });
  }
  duplicates.sort((a, b) => a.row - b.row);
  // In address order, so that each step spans a narrow range of the list (cheap to look up).
  const accepted = [...latest.values()].sort((a, b) =>
    a.contact.email < b.contact.email ? -1 : a.contact.email > b.contact.email ? 1 : 0,
  );
  return { failed, accepted, duplicates };
}

/** The contacts of step `index` (0 first) when steps hold `size` contacts. */
export function importStep(plan: ImportPlan, index: number, size: number): AcceptedRow[] {
  return plan.accepted.slice(index * size, (index + 1) * size);
}

/** How many steps of `size` contacts the plan takes. */
export function stepCount(plan: ImportPlan, size: number): number {
  return Math.ceil(plan.accepted.length / size);
}

/** The result of a finished plan, with the addresses kept unsubscribed. */
export function importAnswer(plan: ImportPlan, unsubscribed: string[]): ImportAnswer {
  return {
    imported: plan.accepted.length,
    failed_count: plan.failed.length,
    failed: plan.failed.slice(0, MAX_FAILED_LISTED),
    unsubscribed,
    duplicates: plan.duplicates,
  };
}
