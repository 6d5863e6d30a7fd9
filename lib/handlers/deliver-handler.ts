/**
 * The send-queue consumer: one delivery job per record, run concurrently, with a partial
 * batch response so that only failed records come back.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseDeliveryJob } from '../domain/delivery-job.ts';
import { deliverMessage, failMessage, type DeliverDeps } from '../use-cases/deliver-message.ts';
import type { JobsInFlight } from './jobs-in-flight.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

export interface DeliverHandlerDeps extends DeliverDeps, HandlerTelemetry {
  /** Receives after which the queue dead-letters a record (the queue's redrive setting). */
  maxReceiveCount: number;
  /** Counts the jobs running, for stores that wait for other jobs only when there are some. */
  jobsInFlight?: JobsInFlight;
}

/** Builds the SQS handler. */
export function createDeliverHandler(deps: DeliverHandlerDeps) {
  /** Runs one record's job; throws when the record must come back. */
  const one = async (record: SQSRecord): Promise<void> => {
    const job = parseDeliveryJob(record.body);
    if (!job) {
      await failMessage(deps, record.body, 'not a delivery job');
      return;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    try {
      await deliverMessage(deps, job, { receiveCount });
    } catch (error) {
      deps.log.warn('delivery job failed', { messageId: job.messageId, attempt: job.attempt, receiveCount, error: String(error) });
      if (receiveCount < deps.maxReceiveCount) throw error;
      // The last receive: record the failure and move the job aside ourselves (if that fails too, the record comes back).
      await failMessage(deps, job, `gave up after ${receiveCount} receives: ${(error as Error)?.name ?? 'error'}`);
    }
  };
  const counted = (record: SQSRecord) => (deps.jobsInFlight ? deps.jobsInFlight.run(() => one(record)) : one(record));
  // All the batch's jobs at once.
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processSqsBatch(event, context, counted);
  return lambdaHandler(handle, deps.middlewares);
}
