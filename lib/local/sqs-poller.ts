/**
 * Feeds a queue to a handler the way Lambda's SQS event source does: receive a batch,
 * invoke with a real SQSEvent, delete what the partial batch response did not name.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext, type LocalHandler } from './lambda-context.ts';
import type { QueueSignal } from './queue-signal.ts';

/** A handler an SQS queue feeds. */
export type SqsHandler = LocalHandler<SQSEvent, SQSBatchResponse | void>;

export interface SqsPollerOptions {
  client: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  batchSize: number;
  /** Whether the records a handler names in its partial batch response stay in the queue (else the batch succeeded whole, as in Lambda). */
  reportBatchItemFailures: boolean;
  timeoutSeconds: number;
  /** Parallel receive loops (Lambda's concurrency). */
  concurrency: number;
  /**
   * Records that may be in handlers at once, when a loop should not wait for its batch before
   * receiving the next (the webhook queue: a slow endpoint holds its own records, not the
   * loop). Absent: each loop hands over one batch at a time, as Lambda does per instance.
   */
  maxInFlight?: number;
  /**
   * Sends of this process to the queue: the loops then receive without waiting and, while the
   * queue is empty, sleep until a send or a second has passed (queue-signal.ts). Absent: long
   * polls of a second.
   */
  signal?: QueueSignal;
  /** With a signal: how long a loop sleeps on an empty queue unless woken (a long poll's wait, 1 s, by default). */
  idleMs?: number;
  onError?: (error: unknown) => void;
}

export interface Poller {
  stop(): Promise<void>;
}

/** A queue's poller. */
export interface SqsPoller extends Poller {
  readonly queueUrl: string;
  /** Batches received so far: a change between two readings means the poller took work in between. */
  readonly batches: number;
}

/** The Lambda record for a received message. */
export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        { dataType: value.DataType ?? 'String', ...(value.StringValue !== undefined && { stringValue: value.StringValue }) },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/** How long a loop with a QueueSignal sleeps on an empty queue unless woken: a long poll's wait. */
const IDLE_MS = 1000;

/** Starts polling; `stop()` lets in-flight batches finish. */
export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  let running = true;
  let batches = 0;
  const inFlight = new Set<Promise<void>>();
  let inFlightRecords = 0;

  /** Invokes the handler with one batch and deletes what did not fail. */
  const handle = async (messages: Message[]): Promise<void> => {
    const event: SQSEvent = { Records: messages.map((m) => toSqsRecord(m, options.queueArn)) };
    let failed = new Set<string>();
    try {
      const response = await options.handler(event, lambdaContext('deliver', options.timeoutSeconds));
      if (options.reportBatchItemFailures) failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      // A handler that throws failed the whole batch, as in Lambda.
      options.onError?.(error);
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    if (done.length) {
      await options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
  };

  const loop = async () => {
    while (running) {
      try {
        const room = options.maxInFlight === undefined ? options.batchSize : options.maxInFlight - inFlightRecords;
        if (room <= 0) {
          await Promise.race(inFlight);
          continue;
        }
        const received = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: Math.min(options.batchSize, room),
            WaitTimeSeconds: options.signal ? 0 : 1,
            // The emulator ignores MessageSystemAttributeNames; 'All' brings ApproximateReceiveCount.
            AttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          if (running) await options.signal?.sleep(options.queueUrl, options.idleMs ?? IDLE_MS);
          continue;
        }
        batches += 1;
        if (options.maxInFlight === undefined) {
          await handle(messages);
          continue;
        }
        inFlightRecords += messages.length;
        const work: Promise<void> = handle(messages)
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => {
            inFlight.delete(work);
            inFlightRecords -= messages.length;
          });
        inFlight.add(work);
      } catch (error) {
        options.onError?.(error);
        if (running) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const loops = Array.from({ length: options.concurrency }, () => loop());
  return {
    queueUrl: options.queueUrl,
    get batches() {
      return batches;
    },
    async stop() {
      running = false;
      options.signal?.notifyAll(options.queueUrl);
      await Promise.all(loops);
      await Promise.all(inFlight);
    },
  };
}
