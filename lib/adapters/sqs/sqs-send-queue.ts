/** The send queue on SQS: batched enqueue with retries of partial failures, and the DLQ. */
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { DeliveryJob } from '../../domain/delivery-job.ts';
import type { SendQueue } from '../../ports/send-queue.ts';
import { SQS_MAX_DELAY_SECONDS } from '../../topology.ts';
import { sendBatchWithRetries } from '../aws/batch-retry.ts';

/** Some jobs could not be enqueued (or dead-lettered) after retries. */
export class EnqueueError extends Error {
  constructor(
    message: string,
    /** Failures as SQS reported them (`Code: Message`), one per job that was not sent. */
    readonly failures: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnqueueError';
  }
}

/** Options of {@link SqsSendQueue}. */
export interface SqsSendQueueOptions {
  /** Send attempts for the entries of a batch that SQS failed (default 3). */
  attempts?: number;
  /** First pause between attempts in ms, doubled each time (default 100). */
  backoffMs?: number;
  /** Queue of campaign (bulk) jobs; without one they share the send queue. */
  bulkQueueUrl?: string;
}

/** SQS takes at most 10 entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/** {@link SendQueue} on SQS. Bodies are the jobs as JSON. */
export class SqsSendQueue implements SendQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl: string;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #bulkQueueUrl: string;

  constructor(client: SQSClient, queueUrl: string, deadLetterQueueUrl: string, options: SqsSendQueueOptions = {}) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#deadLetterQueueUrl = deadLetterQueueUrl;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 100;
    this.#bulkQueueUrl = options.bulkQueueUrl ?? queueUrl;
  }

  /**
   * Enqueues in batches of 10, each job visible after `delaySeconds` (clamped to 0–SQS_MAX_DELAY_SECONDS:
   * longer backoffs travel in the job's `notBefore`); campaign jobs go to the bulk queue.
   *
   * @throws EnqueueError when some jobs are still not accepted after the retries, or at
   *   once when SQS blames the request itself (sender fault). Jobs of other batches may
   *   have been enqueued; the caller retries the whole call (delivery is idempotent).
   */
  async enqueue(jobs: DeliveryJob[], delaySeconds = 0): Promise<void> {
    const delay = Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds)));
    for (const [queueUrl, lane] of [
      [this.#queueUrl, jobs.filter((j) => j.lane !== 'bulk')],
      [this.#bulkQueueUrl, jobs.filter((j) => j.lane === 'bulk')],
    ] as const) {
      for (let start = 0; start < lane.length; start += BATCH_SIZE) {
        const entries = lane.slice(start, start + BATCH_SIZE).map((job, index): SendMessageBatchRequestEntry => ({
          Id: String(index),
          MessageBody: JSON.stringify(job),
          DelaySeconds: delay,
          // On a standard queue a group id makes SQS a fair queue: one tenant's backlog
          // does not delay the others' messages.
          MessageGroupId: job.tenant,
        }));
        await this.#sendBatch(queueUrl, entries);
      }
    }
  }

  #sendBatch(queueUrl: string, entries: SendMessageBatchRequestEntry[]): Promise<void> {
    return sendBatchWithRetries(
      entries,
      async (pending) => (await this.#client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }))).Failed,
      {
        attempts: this.#attempts,
        backoffMs: this.#backoffMs,
        words: { service: 'SQS', noun: 'job(s)', verb: 'enqueue' },
        fail: (message, failures, cause) => new EnqueueError(message, failures, cause === undefined ? undefined : { cause }),
      },
    );
  }

  /**
   * Puts the job (or the raw body that could not be parsed) on the dead-letter queue with a
   * `reason` message attribute, so that the DLQ can be inspected and re-driven.
   */
  async deadLetter(job: DeliveryJob | string, reason: string): Promise<void> {
    const body = typeof job === 'string' ? job : JSON.stringify(job);
    try {
      await this.#client.send(
        new SendMessageCommand({
          QueueUrl: this.#deadLetterQueueUrl,
          // SQS refuses an empty body or attribute value.
          MessageBody: body || '(empty body)',
          MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1024) || 'unspecified' } },
        }),
      );
    } catch (error) {
      throw new EnqueueError(`could not dead-letter a job: ${(error as Error).message}`, [], { cause: error });
    }
  }
}
