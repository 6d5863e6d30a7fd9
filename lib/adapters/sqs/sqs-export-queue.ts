/** The exports queue on SQS: one message per export job. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ExportTask } from '../../domain/export-job.ts';
import type { ExportQueue } from '../../ports/export-queue.ts';
import { EnqueueError } from './sqs-send-queue.ts';

/** {@link ExportQueue} on SQS. Bodies are the tasks as JSON. */
export class SqsExportQueue implements ExportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** @throws EnqueueError when SQS does not take the task (the SDK has retried already). */
  async enqueue(task: ExportTask): Promise<void> {
    try {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(task) }));
    } catch (error) {
      throw new EnqueueError(`could not enqueue export ${task.exportId}: ${(error as Error).message}`, [], { cause: error });
    }
  }
}
