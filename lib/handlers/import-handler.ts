/**
 * The import-queue consumer: one contact import job per record, with a partial batch response
 * so that only failed records come back. A job writes step after step until the function's
 * time is nearly up, then queues itself again to go on from its last recorded step. On the
 * last receive a failing job is marked failed, so that it does not stay `running` while the
 * record sits in the DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseImportTask } from '../domain/contact-import-job.ts';
import type { ImportQueue } from '../ports/import-queue.ts';
import { failImport, runContactImport, type RunImportDeps } from '../use-cases/run-contact-import.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

export interface ImportHandlerDeps extends RunImportDeps, HandlerTelemetry {
  /** Where a job that ran out of time queues its continuation. */
  importQueue: ImportQueue;
  /** Receives after which the queue dead-letters a record (the queue's redrive setting). */
  maxReceiveCount: number;
  /** Time (ms) an invocation keeps for itself: no step starts with less left (IMPORT_RESERVE_MS). */
  reserveMs: number;
}

/** Builds the SQS handler. */
export function createImportHandler(deps: ImportHandlerDeps) {
  /** Runs one record's job until done or out of time; throws when the record must come back. */
  const one = async (record: SQSRecord, context: Context): Promise<void> => {
    const task = parseImportTask(record.body);
    if (!task) {
      // Retrying cannot make it a task; drop it, but leave a trace.
      deps.log.error('not an import task', { messageId: record.messageId });
      return;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    const shouldStop = () => context.getRemainingTimeInMillis() < deps.reserveMs;
    try {
      const outcome = await runContactImport(deps, task, shouldStop);
      if (outcome === 'more') {
        // Out of time: a new run goes on from the last recorded step.
        await deps.importQueue.enqueue(task);
        deps.log.info('contact import continues', { ...task });
      } else if (outcome === 'skipped') {
        deps.log.info('contact import skipped', { ...task });
      }
    } catch (error) {
      deps.log.warn('contact import run failed', { ...task, receiveCount, error: String(error) });
      if (receiveCount < deps.maxReceiveCount) throw error;
      await failImport(deps, task, `gave up after ${receiveCount} receives: ${(error as Error)?.name ?? 'error'}`);
    }
  };
  // One at a time: each job uses the invocation's time until it is nearly up.
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processSqsBatch(event, context, (record) => one(record, context), { inOrder: true });
  return lambdaHandler(handle, deps.middlewares);
}
