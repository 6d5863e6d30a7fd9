/**
 * The webhook-queue consumer: one try per record, all of a batch at once (so one slow endpoint
 * delays no other record), with a partial batch response. A try not due yet is put out of
 * sight until its time and comes back as failed, so that it stays in the queue; a record that
 * is no webhook job is dropped with a trace, since no retry can make it one.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseWebhookJob } from '../domain/webhook-delivery.ts';
import { deliverWebhook, type DeliverWebhookDeps } from '../use-cases/deliver-webhook.ts';
import { lambdaHandler, type HandlerTelemetry } from './lambda-handler.ts';
import { processSqsBatch } from './sqs-batch.ts';

export type WebhookHandlerDeps = DeliverWebhookDeps & HandlerTelemetry;

/** A try that is not due yet: its record stays in the queue, out of sight until its time. */
class NotDueError extends Error {
  constructor(readonly seconds: number) {
    super(`not due for ${seconds} s`);
    this.name = 'NotDueError';
  }
}

/** Builds the SQS handler. */
export function createWebhookHandler(deps: WebhookHandlerDeps) {
  const one = async (record: SQSRecord): Promise<void> => {
    const job = parseWebhookJob(record.body);
    if (!job) {
      deps.log.error('not a webhook job', { messageId: record.messageId });
      return;
    }
    try {
      const outcome = await deliverWebhook(deps, job);
      if (outcome.kind === 'done') return;
      await deps.webhookQueue.postpone(record.receiptHandle, outcome.seconds);
      throw new NotDueError(outcome.seconds);
    } catch (error) {
      if (!(error instanceof NotDueError)) {
        deps.log.warn('webhook try failed', {
          tenant: job.tenant,
          webhookId: job.endpointId,
          deliveryId: job.deliveryId,
          attempt: job.attempt,
          receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? '1'),
          error: String(error),
        });
      }
      throw error;
    }
  };
  const handle = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processSqsBatch(event, context, one);
  return lambdaHandler(handle, deps.middlewares);
}
