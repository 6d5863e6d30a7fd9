import type { ExportTask } from '../domain/export-job.ts';

/** The queue that feeds the export worker. */
export interface ExportQueue {
  enqueue(task: ExportTask): Promise<void>;
}
