/**
 * Export jobs: a tenant asks for a CSV report over a range of days, a worker builds it off the
 * request path, and the job record tells how far it got and where the file is.
 */
import * as z from 'zod';

export const EXPORT_TYPES = ['sends', 'errors'] as const;
/** `sends`: one row per message and recipient; `errors`: one row per failure event. */
export type ExportType = (typeof EXPORT_TYPES)[number];

export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The job record of one export. */
export interface ExportJob {
  /** mailroom id (ULID). */
  id: string;
  tenant: string;
  type: ExportType;
  /** First day, `YYYY-MM-DD` (UTC), included. */
  from: string;
  /** Last day, `YYYY-MM-DD` (UTC), included. */
  to: string;
  status: ExportStatus;
  /** Rows written so far (all of them once `done`). */
  rowCount: number;
  /** Runs begun so far; each run writes its own file, so a superseded run cannot overwrite a newer one. */
  attempts: number;
  /** ISO times. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Storage key of the finished file. */
  objectKey?: string;
  /** Why the export failed, for operators (never shown to callers). */
  error?: string;
  /** ISO time after which the job and its file are gone. */
  expiresAt: string;
}

/** The unit of work on the exports queue. It names a job; everything else is in the record. */
export interface ExportTask {
  v: 1;
  exportId: string;
  tenant: string;
}

const TASK = z.object({ v: z.literal(1), exportId: z.string().min(1).max(64), tenant: z.string().min(1).max(128) });

/** Parses a queue message body; undefined when it is not an export task. */
export function parseExportTask(body: string): ExportTask | undefined {
  try {
    const parsed = TASK.safeParse(JSON.parse(body));
    return parsed.success ? (parsed.data as ExportTask) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a status is final: nothing will change the job any more. */
export function isFinished(status: ExportStatus): boolean {
  return status === 'done' || status === 'failed';
}

/** The first and last instant of the job's days, as ISO times (the way `createdAt` is stored). */
export function exportRange(job: Pick<ExportJob, 'from' | 'to'>): { start: string; end: string } {
  return { start: `${job.from}T00:00:00.000Z`, end: `${job.to}T23:59:59.999Z` };
}

/** The file name a download gets, e.g. `mailroom-sends-2026-11-01-to-2026-11-30.csv`. */
export function exportFileName(job: Pick<ExportJob, 'type' | 'from' | 'to'>): string {
  return `mailroom-${job.type}-${job.from}-to-${job.to}.csv`;
}

/**
 * Where run `attempt` of a job stores its file: `<id>/<attempt>/<file name>`. Only ids, digits
 * and the file name (letters, digits, `-`, `.`) go into it, so it is safe as a path too.
 */
export function exportObjectKey(job: Pick<ExportJob, 'id' | 'type' | 'from' | 'to'>, attempt: number): string {
  return `${job.id}/${attempt}/${exportFileName(job)}`;
}
