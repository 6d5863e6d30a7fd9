/**
 * Contact imports through the API. `POST /v1/lists/{id}/contacts/import` reads and checks the
 * whole body first (a file it cannot read, or more rows than allowed, is a 400 and nothing is
 * kept). An import of at most SYNC_IMPORT_MAX_ROWS rows is written within the request and
 * answered with its result (200), unless the caller prefers a job; a larger one is stored,
 * recorded as a job and queued for the import function (202 with its Location), so that no
 * import depends on the API's 30 seconds. `GET /v1/lists/{id}/contacts/imports/{import id}`
 * tells how far a job got and, once it is completed, the same result a small import answers.
 */
import {
  importBodyKey,
  importTask,
  isImportId,
  ImportNotFoundError,
  type ContactImportJob,
  type ImportRef,
} from '../domain/contact-import-job.ts';
import { ServiceUnavailableError } from '../domain/errors.ts';
import { IMPORT_STEP, importRows, planImport, type ImportAnswer, type ImportSource } from '../domain/import-plan.ts';
import type { ContactImportStore, ImportResultLists } from '../ports/contact-import-store.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import type { ImportQueue } from '../ports/import-queue.ts';
import { importPlanned, type ImportDeps } from './contact-import.ts';
import { requireList } from './lists.ts';

/**
 * Most rows an import may have to be written within its request. A thousand contacts are one
 * step: a second or two, far within the API's 30 seconds however busy DynamoDB is.
 */
export const SYNC_IMPORT_MAX_ROWS = 1000;

export interface ImportJobDeps extends ImportDeps {
  imports: ContactImportStore;
  importBodies: ImportBodyStore;
  importQueue: ImportQueue;
  newId: () => string;
  /** Days a job and its result are kept. */
  importRetentionDays: number;
}

/** An import body as the request sent it: what it holds, and its text as sent. */
export interface ImportRequest {
  source: ImportSource;
  text: string;
  /** Whether the caller asked for a job whatever the size (`Prefer: respond-async`). */
  preferAsync: boolean;
}

/** What became of an import request: written at once, or queued as a job. */
export type ImportOutcome = { kind: 'done'; answer: ImportAnswer } | { kind: 'queued'; job: ImportView; location: string };

/** The path of a job, as the `Location` of its 202 says. */
export function importPath(ref: ImportRef): string {
  return `/v1/lists/${ref.listId}/contacts/imports/${ref.id}`;
}

/** What a caller is told of a failed job; the reason for operators stays on the record. */
const FAILURES = {
  list_deleted: { code: 'list_not_found', message: 'The list was deleted while the import ran.' },
  gave_up: {
    code: 'import_failed',
    message:
      'mailroom could not finish the import; the contacts written so far stay. Running the same import again is safe (contacts are replaced by address).',
  },
} as const;

/** A job as the API shows it; the lists of its result once it is completed. */
export function importView(job: ContactImportJob, lists?: ImportResultLists) {
  return {
    id: job.id,
    list_id: job.listId,
    state: job.state,
    rows_total: job.rowsTotal,
    rows_done: job.rowsDone,
    imported: job.imported,
    failed_count: job.failedCount,
    ...(lists && { failed: lists.failed, unsubscribed: lists.unsubscribed, duplicates: lists.duplicates }),
    ...(job.state === 'failed' && { error: FAILURES[job.failure ?? 'gave_up'] }),
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    ...(job.startedAt && { started_at: job.startedAt }),
    ...(job.completedAt && { completed_at: job.completedAt }),
    expires_at: job.expiresAt,
  };
}

export type ImportView = ReturnType<typeof importView>;

/** Stores the body, records the job and queues it. A failure on the way is a 503: nothing was imported. */
async function queueImport(deps: ImportJobDeps, tenant: string, listId: string, request: ImportRequest, rows: number) {
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = deps.newId();
  const job: ContactImportJob = {
    id,
    tenant,
    listId,
    format: request.source.format,
    state: 'queued',
    rowsTotal: rows,
    rowsDone: 0,
    imported: 0,
    failedCount: 0,
    unsubscribedCount: 0,
    stepSize: IMPORT_STEP,
    stepsDone: 0,
    bodyKey: importBodyKey(id, request.source.format),
    createdAt: at,
    updatedAt: at,
    // Whole seconds, as the store keeps it (a TTL in epoch seconds): the 202 and every GET agree.
    expiresAt: new Date(Math.ceil((now.getTime() + deps.importRetentionDays * 86_400_000) / 1000) * 1000).toISOString(),
  };
  try {
    await deps.importBodies.put(job.bodyKey, request.text);
    await deps.imports.create(job);
  } catch (error) {
    deps.log.error('contact import not stored', { importId: id, tenant, listId, error: String(error) });
    throw new ServiceUnavailableError('mailroom could not store the import; nothing was imported. Retry later.', { cause: error });
  }
  try {
    await deps.importQueue.enqueue(importTask(job));
  } catch (error) {
    // Nothing will ever run it: say so on the record rather than leave it queued forever.
    await deps.imports.fail(job, 'gave_up', 'could not be queued', deps.clock.now().toISOString()).catch(() => undefined);
    deps.log.error('contact import not queued', { importId: id, tenant, listId, error: String(error) });
    throw new ServiceUnavailableError('mailroom could not queue the import; nothing was imported. Retry later.', { cause: error });
  }
  deps.log.info('contact import queued', { importId: id, tenant, listId, rows, format: job.format });
  return { job: importView(job), location: importPath(job) };
}

/** Imports within the call (small imports) or queues a job (large ones, or when the caller prefers). */
export async function acceptImport(deps: ImportJobDeps, tenant: string, rawListId: string, request: ImportRequest): Promise<ImportOutcome> {
  const list = await requireList(deps.lists, tenant, rawListId);
  // Read and checked whole before anything is kept: a body that cannot be read is refused now.
  const rows = importRows(request.source);
  if (rows.length <= SYNC_IMPORT_MAX_ROWS && !request.preferAsync) {
    return { kind: 'done', answer: await importPlanned(deps, tenant, list.id, planImport(rows)) };
  }
  return { kind: 'queued', ...(await queueImport(deps, tenant, list.id, request, rows.length)) };
}

/** The API's view of a job. Another tenant's, another list's, or one past its retention is "not found". */
export async function getImport(
  deps: Pick<ImportJobDeps, 'imports' | 'clock'>,
  tenant: string,
  rawListId: string,
  rawId: string,
): Promise<ImportView> {
  const ref = { tenant, listId: rawListId, id: rawId };
  const job = isImportId(rawListId) && isImportId(rawId) ? await deps.imports.get(ref) : undefined;
  // TTL deletes up to days late.
  if (!job || Date.parse(job.expiresAt) <= deps.clock.now().getTime()) throw new ImportNotFoundError();
  return job.state === 'completed' ? importView(job, await deps.imports.results(job)) : importView(job);
}
