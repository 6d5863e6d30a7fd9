/**
 * The send-queue consumer: one delivery job per record, run concurrently, with a partial
 * batch response so that only failed records come back.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseDeliveryJob } from '../domain/delivery-job.ts';
import { deliverMessage, failMessage, type DeliverDeps } from '../use-cases/deliver-message.ts';

export interface DeliverHandlerDeps extends DeliverDeps {
  /** Receives after which the queue dead-letters a record (the queue's redrive setting). */
  maxReceiveCount: number;
}

/** Builds the SQS handler. */
export function createDeliverHandler(deps: DeliverHandlerDeps) {
  const one = async (record: SQSRecord): Promise<boolean> => {
    const job = parseDeliveryJob(record.body);
    if (!job) {
      await failMessage(deps, record.body, 'not a delivery job');
      return true;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
    try {
      await deliverMessage(deps, job, { receiveCount });
      return true;
    } catch (error) {
      deps.log.warn('delivery job failed', { messageId: job.messageId, attempt: job.attempt, receiveCount, error: String(error) });
      if (receiveCount < deps.maxReceiveCount) return false;
      // The last receive: record the failure and move the job aside ourselves.
      try {
        await failMessage(deps, job, `gave up after ${receiveCount} receives: ${(error as Error)?.name ?? 'error'}`);
        return true;
      } catch {
        return false;
      }
    }
  };
  const handle = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const done = await Promise.all(event.Records.map((record) => one(record).catch(() => false)));
    return { batchItemFailures: event.Records.filter((_, i) => !done[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>(handle);
}
