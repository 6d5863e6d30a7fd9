import type { ContactImportJob, ImportFailure, ImportRef } from '../domain/contact-import-job.ts';
import type { DuplicateRow, FailedRow } from '../domain/import-plan.ts';

/** Progress of a job after one more step. Counts are totals so far, never increments. */
export interface ImportStepRecord {
  /** The step just written (0 first); recorded only when the job has recorded exactly `step` steps. */
  step: number;
  rowsDone: number;
  imported: number;
  failedCount: number;
  /** Addresses of this step whose owner unsubscribed. */
  unsubscribed: string[];
  at: string;
}

/** The end of a job: its final counts and the lists of its result. */
export interface ImportCompletion {
  /** Steps the job took; it completes only once it has recorded them all. */
  steps: number;
  rowsDone: number;
  imported: number;
  failedCount: number;
  /** The bad rows listed in the result (at most MAX_FAILED_LISTED). */
  failed: FailedRow[];
  duplicates: DuplicateRow[];
  at: string;
}

/** The lists of a completed job's result, in the order the synchronous answer has them. */
export interface ImportResultLists {
  failed: FailedRow[];
  duplicates: DuplicateRow[];
  /** In address order, as the steps wrote them. */
  unsubscribed: string[];
}

/**
 * Contact import jobs. A job advances one recorded step at a time, so that a run that was cut
 * short, or delivered twice, never counts a step twice.
 */
export interface ContactImportStore {
  /** Stores a new job. */
  create(job: ContactImportJob): Promise<void>;
  /** The job, or undefined. */
  get(ref: ImportRef): Promise<ContactImportJob | undefined>;
  /**
   * Starts a run: a `queued` or `running` job becomes `running` (its first start time kept).
   * Returns the job as updated, or undefined when it is missing or finished.
   */
  start(ref: ImportRef, at: string): Promise<ContactImportJob | undefined>;
  /** Records one more step of `job`; false when it is not running or has recorded another number of steps. */
  recordStep(job: ContactImportJob, record: ImportStepRecord): Promise<boolean>;
  /** Stores the result and marks `job` completed; false when it is not running with every step recorded. */
  complete(job: ContactImportJob, completion: ImportCompletion): Promise<boolean>;
  /** Marks a `queued` or `running` job failed; false when nothing changed. */
  fail(ref: ImportRef, failure: ImportFailure, error: string, at: string): Promise<boolean>;
  /** The lists of a completed job's result. */
  results(ref: ImportRef): Promise<ImportResultLists>;
}
