/** The import queue on SQS: one message per run of a contact import job. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImportTask } from '../../domain/contact-import-job.ts';
import type { ImportQueue } from '../../ports/import-queue.ts';
import { EnqueueError } from './sqs-send-queue.ts';

/** {@link ImportQueue} on SQS. Bodies are the tasks as JSON. */
export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** @throws EnqueueError when SQS does not take the task (the SDK has retried already). */
  async enqueue(task: ImportTask): Promise<void> {
    try {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(task) }));
    } catch (error) {
      throw new EnqueueError(`could not enqueue contact import ${task.importId}: ${(error as Error).message}`, [], { cause: error });
    }
  }
}
