import type { ExportJob } from '../domain/export-job.ts';

/** Export job records. Runs are numbered (`attempts`); a run may only update the job while it is the latest. */
export interface ExportStore {
  /** Stores a new job. */
  create(job: ExportJob): Promise<void>;
  /** The job, or undefined. Callers check the tenant. */
  get(id: string): Promise<ExportJob | undefined>;
  /**
   * Starts a run: when the job is `queued` or `running` (a run that died), sets it `running`,
   * its row count to 0, and counts the attempt. Returns the job as updated, or undefined when
   * it is missing or finished.
   */
  claim(id: string, at: string): Promise<ExportJob | undefined>;
  /** Records the rows written so far by run `attempt`; false when a later run took over. */
  progress(id: string, attempt: number, rowCount: number): Promise<boolean>;
  /** Marks run `attempt` done with its file and row count; false when a later run took over. */
  complete(id: string, attempt: number, result: { rowCount: number; objectKey: string; finishedAt: string }): Promise<boolean>;
  /**
   * Marks the job failed unless it is finished already (and, with `attempt`, only while that
   * run is the latest); false when nothing changed.
   */
  fail(id: string, reason: string, finishedAt: string, attempt?: number): Promise<boolean>;
}
