/**
 * Bulk import of contacts into a list (`POST /v1/lists/{id}/contacts/import`), from JSON or CSV.
 * Every row is accounted for: written, reported as failed with its problems, or superseded by
 * a later row for the same address. Bad rows never stop good ones. An import is a set of
 * upserts by address, so running the same import again is safe (after a 503, for instance).
 */
import { MailroomError, ServiceUnavailableError, type FieldProblem } from '../domain/errors.ts';
import { checkContact, importRowsFromCsv, importRowsFromJson, type ContactInput, type ImportRow } from '../domain/list-requests.ts';
import type { Contact } from '../domain/mailing-list.ts';
import type { Log } from '../ports/logger.ts';
import type { ContactDeps } from './contacts.ts';
import { requireList } from './lists.ts';
import { mapOrdered } from './map-ordered.ts';

export interface ImportDeps extends ContactDeps {
  log: Log;
}

/** What was sent: a parsed JSON document, or CSV text. */
export type ImportSource = { format: 'json'; body: unknown } | { format: 'csv'; text: string };

/** A row that was not imported, and why. */
export interface FailedRow {
  row: number;
  line?: number;
  email?: string;
  errors: FieldProblem[];
  /** Further problems of the row, left out to keep the answer small. */
  errors_omitted?: number;
}

/** The answer to an import. */
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
  duplicates: { row: number; email: string; kept_row: number }[];
}

/** Contacts looked up and written per step. */
const STEP = 1000;
/** Steps in flight at once. */
const STEPS_IN_FLIGHT = 2;
/** Failed rows listed in an answer; `failed_count` has them all. */
export const MAX_FAILED_LISTED = 10_000;
/** Problems listed per failed row. */
export const MAX_ROW_ERRORS = 5;

interface Accepted {
  row: number;
  contact: ContactInput;
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
function sortRows(rows: ImportRow[]) {
  const failed: FailedRow[] = [];
  const latest = new Map<string, Accepted>();
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
    seen.set(email, [...(seen.get(email) ?? []), row.row]);
  }
  const duplicates: ImportAnswer['duplicates'] = [];
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

async function* steps(accepted: Accepted[]): AsyncGenerator<Accepted[]> {
  for (let i = 0; i < accepted.length; i += STEP) yield accepted.slice(i, i + STEP);
}

/**
 * Writes one step of contacts: each keeps its creation time, and its status when the row gives
 * none (new contacts are `subscribed`). Returns the addresses whose owner unsubscribed.
 */
async function writeStep(deps: ImportDeps, tenant: string, listId: string, step: Accepted[], now: string): Promise<string[]> {
  const emails = step.map((entry) => entry.contact.email);
  const [existing, unsubscribes] = await Promise.all([
    deps.contacts.getMany(tenant, listId, emails),
    deps.unsubscribes.findMany(tenant, listId, emails),
  ]);
  const kept: string[] = [];
  const contacts = step.map(({ contact: input }): Contact => {
    const old = existing.get(input.email);
    const status = input.status ?? old?.status ?? 'subscribed';
    if (status === 'subscribed' && unsubscribes.has(input.email)) kept.push(input.email);
    return {
      tenant,
      listId,
      email: input.email,
      attributes: input.attributes ?? {},
      status,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    };
  });
  await deps.contacts.putMany(contacts);
  return kept;
}

/** Imports the rows of `source` into the tenant's list. */
export async function importContacts(deps: ImportDeps, tenant: string, rawListId: string, source: ImportSource): Promise<ImportAnswer> {
  const list = await requireList(deps.lists, tenant, rawListId);
  const rows = source.format === 'json' ? importRowsFromJson(source.body) : importRowsFromCsv(source.text);
  const { failed, accepted, duplicates } = sortRows(rows);
  const now = deps.clock.now().toISOString();
  const unsubscribed: string[] = [];
  try {
    for await (const kept of mapOrdered(steps(accepted), STEPS_IN_FLIGHT, (step) => writeStep(deps, tenant, list.id, step, now))) {
      unsubscribed.push(...kept);
    }
  } catch (error) {
    if (error instanceof MailroomError) throw error;
    deps.log.warn('contact import failed', {
      tenant,
      listId: list.id,
      rows: rows.length,
      error: (error as Error)?.name,
      message: (error as Error)?.message,
    });
    throw new ServiceUnavailableError(
      'mailroom could not store every contact; some may have been written. Running the same import again is safe (contacts are replaced by address).',
      { cause: error },
    );
  }
  return {
    imported: accepted.length,
    failed_count: failed.length,
    failed: failed.slice(0, MAX_FAILED_LISTED),
    unsubscribed,
    duplicates,
  };
}
