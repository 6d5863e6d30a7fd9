/**
 * The exports-queue consumer: one export per record, with a partial batch response so that
 * only failed records come back. On the last receive a failing export is marked failed, so
 * that its job does not stay `running` while the record sits in the DLQ.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseExportTask } from '../domain/export-job.ts';
import { failExport, runExport, type RunExportDeps } from '../use-cases/run-export.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

export interface ExportHandlerDeps extends RunExportDeps, HandlerTelemetry {
  /** Receives after which the queue dead-letters a record (the queue's redrive setting). */
  maxReceiveCount: number;
}

// Time kept back from the function's timeout to abandon the upload and record the outcome.
const WIND_DOWN_MS = 20_000;

/** Builds the SQS handler. */
export function createExportHandler(deps: ExportHandlerDeps) {
  /** Runs one record's export; throws when the record must come back. */
  const one = async (record: SQSRecord, signal: AbortSignal): Promise<void> => {
    const task = parseExportTask(record.body);
    if (!task) {
      // Retrying cannot make it a task; drop it, but leave a trace.
      deps.log.error('not an export task', { messageId: record.messageId });
      return;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    try {
      const outcome = await runExport(deps, task, signal);
      if (outcome.kind === 'skipped') deps.log.info('export skipped', { exportId: task.exportId, reason: outcome.reason });
    } catch (error) {
      deps.log.warn('export failed', { exportId: task.exportId, receiveCount, error: String(error) });
      if (receiveCount < deps.maxReceiveCount) throw error;
      await failExport(deps, task, `gave up after ${receiveCount} receives: ${(error as Error)?.name ?? 'error'}`);
    }
  };
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // Stop before Lambda kills the run: a killed run could not mark its job failed on the
    // last receive, and the job would stay `running` for good.
    const signal = AbortSignal.timeout(Math.max(1000, context.getRemainingTimeInMillis() - WIND_DOWN_MS));
    return processSqsBatch(event, context, (record) => one(record, signal));
  };
  return lambdaHandler(handle, deps.middlewares);
}
