import type { ImportTask } from '../domain/contact-import-job.ts';

/** The queue that feeds the import function: new jobs, and jobs that go on where a run stopped. */
export interface ImportQueue {
  enqueue(task: ImportTask): Promise<void>;
}
