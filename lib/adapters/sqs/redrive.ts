/** The send queue's dead-letter queue on SQS, as the redrive reads it. */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterQueue } from '../../ports/dead-letter-queue.ts';

/** A received dead letter, with what SQS needs to delete or release it. */
export interface SqsDeadLetter extends DeadLetter {
  messageId: string;
  receiptHandle: string;
}

export interface SqsDeadLetterQueueOptions {
  /** How long received letters stay hidden while the run lasts (default 300 s). */
  visibilityTimeoutSeconds?: number;
  /** Long-poll wait of each receive: an empty answer ends the run (default 1 s). */
  waitTimeSeconds?: number;
}

/** SQS takes at most 10 entries per batch call. */
const BATCH_SIZE = 10;

/** {@link DeadLetterQueue} on SQS. */
export class SqsDeadLetterQueue implements DeadLetterQueue<SqsDeadLetter> {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #visibility: number;
  readonly #wait: number;

  constructor(client: SQSClient, queueUrl: string, options: SqsDeadLetterQueueOptions = {}) {
    this.#client = client;
    this.#queueUrl = queueUrl;
    this.#visibility = options.visibilityTimeoutSeconds ?? 300;
    this.#wait = options.waitTimeSeconds ?? 1;
  }

  async receive(): Promise<SqsDeadLetter[]> {
    const { Messages = [] } = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#queueUrl,
        MaxNumberOfMessages: BATCH_SIZE,
        VisibilityTimeout: this.#visibility,
        WaitTimeSeconds: this.#wait,
        MessageAttributeNames: ['reason'],
      }),
    );
    return Messages.map((message) => {
      const reason = message.MessageAttributes?.reason?.StringValue;
      return {
        body: message.Body ?? '',
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        ...(reason !== undefined && { reason }),
      };
    });
  }

  /** @throws Error naming the letters SQS did not delete. */
  async delete(letters: SqsDeadLetter[]): Promise<void> {
    for (let start = 0; start < letters.length; start += BATCH_SIZE) {
      const entries = letters.slice(start, start + BATCH_SIZE).map((letter, i) => ({ Id: String(i), ReceiptHandle: letter.receiptHandle }));
      const { Failed = [] } = await this.#client.send(new DeleteMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries }));
      if (Failed.length)
        throw new Error(`SQS did not delete ${Failed.length} dead letter(s): ${Failed.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`);
    }
  }

  /** Best effort: a letter not released becomes visible again when its visibility timeout ends. */
  async release(letters: SqsDeadLetter[]): Promise<void> {
    for (let start = 0; start < letters.length; start += BATCH_SIZE) {
      const entries = letters
        .slice(start, start + BATCH_SIZE)
        .map((letter, i) => ({ Id: String(i), ReceiptHandle: letter.receiptHandle, VisibilityTimeout: 0 }));
      await this.#client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries }));
    }
  }
}
