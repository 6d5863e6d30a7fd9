/**
 * Runs one export job: walks the tenant's messages of the requested days oldest first, reads
 * each one's recipients and events (a bounded number at once), turns them into report rows
 * and streams the CSV into the blob store, counting rows on the job as it goes. Nothing of
 * the report is held in memory beyond the messages in flight and the upload's buffer.
 */
import { csvChunks, CSV_CONTENT_TYPE } from '../domain/csv.ts';
import { exportFileName, exportObjectKey, exportRange, type ExportJob, type ExportTask } from '../domain/export-job.ts';
import { ERRORS_COLUMNS, errorRows, SENDS_COLUMNS, sendRows, type MessageDetail } from '../domain/export-rows.ts';
import { messageHistory } from '../domain/carried-events.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { ExportStore } from '../ports/export-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageStore } from '../ports/message-store.ts';
import type { MessageTimeline } from '../ports/message-timeline.ts';
import { mapOrdered } from './map-ordered.ts';

export interface RunExportDeps {
  exports: ExportStore;
  timeline: MessageTimeline;
  messages: MessageStore;
  events: EventStore;
  blobs: BlobStore;
  clock: Clock;
  log: Log;
  /** Messages whose recipients and events are read at once; 16 by default. */
  readConcurrency?: number;
  /** Rows between two progress updates of the job; 5,000 by default. */
  progressEvery?: number;
}

/** What became of a task. */
export type ExportOutcome =
  /** The file is stored and the job is done. */
  | { kind: 'done'; rowCount: number; bytes: number }
  /** Nothing to do: the job is missing, finished, another tenant's, or a later run took it over. */
  | { kind: 'skipped'; reason: string };

/** A later run took over the job while this one was writing. */
class SupersededError extends Error {
  constructor() {
    super('a later run took over the export');
    this.name = 'SupersededError';
  }
}

/** Every message of the job's days with its recipients and events, oldest first. */
function messageDetails(deps: RunExportDeps, job: ExportJob): AsyncGenerator<MessageDetail> {
  const { start, end } = exportRange(job);
  return mapOrdered(deps.timeline.between(job.tenant, start, end), deps.readConcurrency ?? 16, async (message) => {
    const [stored, events] = await Promise.all([deps.messages.get(message.id), deps.events.list(message.id)]);
    // The recipients come from the message's own partition; the message item read with them
    // is newer than the index's copy (the index is eventually consistent).
    return { message: stored?.message ?? message, recipients: stored?.recipients ?? [], events: messageHistory(stored, events) };
  });
}

/**
 * Runs the export named by the task. Throws when reading or storing fails, or when `signal`
 * aborts (the run is out of time): the upload is then abandoned and the caller retries.
 */
export async function runExport(deps: RunExportDeps, task: ExportTask, signal?: AbortSignal): Promise<ExportOutcome> {
  const claimed = await deps.exports.claim(task.exportId, deps.clock.now().toISOString());
  if (!claimed) return { kind: 'skipped', reason: 'missing or finished' };
  // Typed as found, for the generator below (a hoisted function keeps no narrowing).
  const job: ExportJob = claimed;
  const attempt = job.attempts;
  if (job.tenant !== task.tenant) {
    await deps.exports.fail(job.id, 'task names another tenant', deps.clock.now().toISOString(), attempt);
    return { kind: 'skipped', reason: 'tenant mismatch' };
  }
  const toRows = job.type === 'sends' ? sendRows : errorRows;
  const header = job.type === 'sends' ? SENDS_COLUMNS : ERRORS_COLUMNS;
  const every = deps.progressEvery ?? 5000;
  let rowCount = 0;
  let reported = 0;

  async function* batches(): AsyncGenerator<string[][]> {
    for await (const detail of messageDetails(deps, job)) {
      signal?.throwIfAborted();
      const rows = toRows(detail);
      rowCount += rows.length;
      yield rows;
      if (rowCount - reported >= every) {
        reported = rowCount;
        if (!(await deps.exports.progress(job.id, attempt, rowCount))) throw new SupersededError();
      }
    }
  }

  const objectKey = exportObjectKey(job, attempt);
  const started = Date.now();
  let bytes: number;
  try {
    ({ bytes } = await deps.blobs.put(objectKey, csvChunks(header, batches()), {
      contentType: CSV_CONTENT_TYPE,
      fileName: exportFileName(job),
    }));
  } catch (error) {
    if (error instanceof SupersededError || (error as Error)?.cause instanceof SupersededError) {
      return { kind: 'skipped', reason: 'superseded' };
    }
    throw error;
  }
  const finishedAt = deps.clock.now().toISOString();
  if (!(await deps.exports.complete(job.id, attempt, { rowCount, objectKey, finishedAt }))) {
    return { kind: 'skipped', reason: 'superseded' };
  }
  deps.log.info('export done', { exportId: job.id, type: job.type, attempt, rowCount, bytes, ms: Date.now() - started });
  return { kind: 'done', rowCount, bytes };
}

/** Marks the task's job failed (the last receive gave up on it). False when it was finished already. */
export async function failExport(deps: Pick<RunExportDeps, 'exports' | 'clock'>, task: ExportTask, reason: string): Promise<boolean> {
  return deps.exports.fail(task.exportId, reason, deps.clock.now().toISOString());
}
