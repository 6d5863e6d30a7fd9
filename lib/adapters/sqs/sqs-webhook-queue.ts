/** The webhook queue on SQS: tries batched, fair between tenants, postponed by their visibility. */
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { WebhookJob } from '../../domain/webhook-delivery.ts';
import type { WebhookQueue } from '../../ports/webhook-queue.ts';
import { SQS_MAX_DELAY_SECONDS } from '../../topology.ts';
import { sendBatchWithRetries } from '../aws/batch-retry.ts';
import { EnqueueError } from './sqs-send-queue.ts';

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/** SQS's longest visibility timeout: 12 hours. */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;

/** {@link WebhookQueue} on SQS. Bodies are the jobs as JSON. */
export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** @throws EnqueueError when some tries are still not accepted after retries. */
  async enqueue(jobs: WebhookJob[], delaySeconds = 0): Promise<void> {
    const delay = Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
    for (let start = 0; start < jobs.length; start += BATCH_SIZE) {
      const entries = jobs.slice(start, start + BATCH_SIZE).map((job, index): SendMessageBatchRequestEntry => ({
        Id: String(index),
        MessageBody: JSON.stringify(job),
        DelaySeconds: delay,
        // On a standard queue a group id makes SQS a fair queue: a tenant whose endpoint is
        // slow or down, with many tries in flight, does not delay the other tenants' tries.
        MessageGroupId: job.tenant,
      }));
      await sendBatchWithRetries(
        entries,
        async (pending) => (await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }))).Failed,
        {
          attempts: 3,
          backoffMs: 100,
          words: { service: 'SQS', noun: 'webhook tr(ies)', verb: 'enqueue' },
          fail: (message, failures, cause) => new EnqueueError(message, failures, cause === undefined ? undefined : { cause }),
        },
      );
    }
  }

  async postpone(handle: string, seconds: number): Promise<void> {
    const timeout = Math.min(SQS_MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
    await this.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: handle, VisibilityTimeout: timeout }),
    );
  }
}
