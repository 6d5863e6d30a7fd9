/**
 * Runs one contact import job: reads the stored body, plans it as a small import is planned,
 * then writes the contacts step after step (two in flight) and records each step on the job
 * once written, in order. The record of step n is conditional on n steps being recorded, so a
 * run that was cut short and delivered again goes on from the last recorded step: it may write
 * a step's contacts again (the same contacts, replaced by address), but never counts it twice.
 */
import { taskRef, type ContactImportJob, type ImportTask } from '../domain/contact-import-job.ts';
import { importRows, importStep, MAX_FAILED_LISTED, planImport, stepCount, type ImportPlan } from '../domain/import-plan.ts';
import type { ContactImportStore } from '../ports/contact-import-store.ts';
import type { ImportBodyStore } from '../ports/import-body-store.ts';
import type { Log } from '../ports/logger.ts';
import { STEPS_IN_FLIGHT, writeContacts } from './contact-import.ts';
import type { ContactDeps } from './contacts.ts';
import { mapOrdered } from './map-ordered.ts';

export interface RunImportDeps extends ContactDeps {
  imports: ContactImportStore;
  importBodies: ImportBodyStore;
  log: Log;
}

/**
 * What became of a run: `done` (completed), `more` (time is nearly up: run it again to go on),
 * `failed` (the job failed for good), `skipped` (missing, finished, or another run took it over).
 */
export type ImportRunOutcome = 'done' | 'more' | 'failed' | 'skipped';

/** The rows of the stored body, planned. The API read the same body before it made the job. */
function plan(job: ContactImportJob, text: string): ImportPlan {
  return planImport(importRows(job.format === 'json' ? { format: 'json', body: JSON.parse(text) } : { format: 'csv', text }));
}

/**
 * Runs the job a task names, until it is completed or `shouldStop()` says, between two steps,
 * that the time is nearly up. Throws when reading or writing fails; the caller retries.
 */
export async function runContactImport(deps: RunImportDeps, task: ImportTask, shouldStop: () => boolean): Promise<ImportRunOutcome> {
  const now = () => deps.clock.now().toISOString();
  const ref = taskRef(task);
  const started = await deps.imports.start(ref, now());
  if (!started) return 'skipped';
  // Typed as found, for the generator below (a hoisted function keeps no narrowing).
  const job: ContactImportJob = started;
  const fail = async (failure: 'list_deleted' | 'gave_up', reason: string): Promise<ImportRunOutcome> => {
    await deps.imports.fail(job, failure, reason, now());
    deps.log.warn('contact import failed', { importId: job.id, tenant: job.tenant, listId: job.listId, reason });
    return 'failed';
  };
  const listExists = async () => (await deps.lists.get(job.tenant, job.listId)) !== undefined;
  if (!(await listExists())) return fail('list_deleted', 'the list was deleted');
  const text = await deps.importBodies.get(job.bodyKey);
  if (text === undefined) return fail('gave_up', 'the stored body is gone');

  const began = Date.now();
  const planned = plan(job, text);
  const steps = stepCount(planned, job.stepSize);
  const settled = planned.failed.length + planned.duplicates.length;
  const written = (count: number) => Math.min(planned.accepted.length, count * job.stepSize);
  const writtenAt = now();
  let stop: 'time' | 'list' | undefined;

  // The steps still to write. Checked before each: the time left (never before the first step
  // of a run, so that every run gets somewhere), and the list (a deleted list's contacts are
  // being removed; writing more would leave some behind).
  async function* pending(): AsyncGenerator<number> {
    for (let index = job.stepsDone; index < steps; index++) {
      if (index > job.stepsDone && shouldStop()) return void (stop = 'time');
      if (!(await listExists())) return void (stop = 'list');
      yield index;
    }
  }
  const write = async (index: number) => ({
    index,
    kept: await writeContacts(deps, job.tenant, job.listId, importStep(planned, index, job.stepSize), writtenAt),
  });
  for await (const { index, kept } of mapOrdered(pending(), STEPS_IN_FLIGHT, write)) {
    const recorded = await deps.imports.recordStep(job, {
      step: index,
      rowsDone: settled + written(index + 1),
      imported: written(index + 1),
      failedCount: planned.failed.length,
      unsubscribed: kept,
      at: now(),
    });
    // Another run recorded it (or the job ended): that run goes on; this one only wrote the same contacts.
    if (!recorded) return 'skipped';
  }
  if (stop === 'list') return fail('list_deleted', 'the list was deleted');
  if (stop === 'time') return 'more';

  const completed = await deps.imports.complete(job, {
    steps,
    rowsDone: settled + planned.accepted.length,
    imported: planned.accepted.length,
    failedCount: planned.failed.length,
    failed: planned.failed.slice(0, MAX_FAILED_LISTED),
    duplicates: planned.duplicates,
    at: now(),
  });
  if (!completed) return 'skipped';
  // The contacts are written: the body (personal data) goes now; the bucket's lifecycle removes it otherwise.
  await deps.importBodies.delete(job.bodyKey).catch((error: unknown) => {
    deps.log.warn('contact import body not removed', { importId: job.id, error: String(error) });
  });
  deps.log.info('contact import completed', {
    importId: job.id,
    tenant: job.tenant,
    listId: job.listId,
    rows: job.rowsTotal,
    imported: planned.accepted.length,
    failed: planned.failed.length,
    steps: steps - job.stepsDone,
    ms: Date.now() - began,
  });
  return 'done';
}

/** Marks the task's job failed (the last receive gave up on it). False when it was finished already. */
export function failImport(deps: Pick<RunImportDeps, 'imports' | 'clock'>, task: ImportTask, reason: string): Promise<boolean> {
  return deps.imports.fail(taskRef(task), 'gave_up', reason, deps.clock.now().toISOString());
}
