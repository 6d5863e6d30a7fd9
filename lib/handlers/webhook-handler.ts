/**
 * The webhook-queue consumer: one try per record, all of a batch at once (so one slow endpoint
 * delays no other record), with a partial batch response. A try not due yet is put out of
 * sight until its time and named as failed, so that it stays in the queue; a record that is
 * no webhook job is dropped with a trace, since no retry can make it one.
 */
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseWebhookJob } from '../domain/webhook-delivery.ts';
import { deliverWebhook, type DeliverWebhookDeps } from '../use-cases/deliver-webhook.ts';

/** Builds the SQS handler. */
export function createWebhookHandler(deps: DeliverWebhookDeps) {
  /** Whether the record is done with (deleted from the queue). */
  const one = async (record: SQSRecord): Promise<boolean> => {
    const job = parseWebhookJob(record.body);
    if (!job) {
      deps.log.error('not a webhook job', { messageId: record.messageId });
      return true;
    }
    try {
      const outcome = await deliverWebhook(deps, job);
      if (outcome.kind === 'done') return true;
      await deps.webhookQueue.postpone(record.receiptHandle, outcome.seconds);
      return false;
    } catch (error) {
      deps.log.warn('webhook try failed', {
        tenant: job.tenant,
        webhookId: job.endpointId,
        deliveryId: job.deliveryId,
        attempt: job.attempt,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? '1'),
        error: String(error),
      });
      return false;
    }
  };
  const handle = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const done = await Promise.all(event.Records.map((record) => one(record).catch(() => false)));
    return { batchItemFailures: event.Records.filter((_, i) => !done[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>(handle);
}
