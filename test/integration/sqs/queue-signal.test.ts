/**
 * Local mode's pollers with a QueueSignal (lib/local/queue-signal.ts), on the SQS emulator:
 * the emulator ends a long poll only when its wait is over, so the poller receives without
 * waiting and sleeps on an empty queue until this process sends to it.
 */
import { CreateQueueCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { QueueSignal } from '../../../lib/local/queue-signal.ts';
import { startSqsPoller, type SqsPoller } from '../../../lib/local/sqs-poller.ts';
import { sqsClient, uniquePrefix } from '../../support/local-aws.ts';
import { waitFor } from '../../support/wait.ts';

const clients: SQSClient[] = [];
const pollers: SqsPoller[] = [];
afterAll(async () => {
  await Promise.all(pollers.map((p) => p.stop()));
  for (const client of clients) client.destroy();
});

async function queue(client: SQSClient): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: `${uniquePrefix()}-signal` }));
  return QueueUrl!;
}

describe('QueueSignal', () => {
  it('wakes one sleeper per notification, all of them on notifyAll, and lets a sleep end by itself', async () => {
    const signal = new QueueSignal();
    const woken: string[] = [];
    const sleepers = ['a', 'b', 'c'].map((name) => signal.sleep('q', 60_000).then(() => woken.push(name)));
    signal.notify('q');
    await sleepers[0];
    expect(woken).toEqual(['a']);
    signal.notify('other');
    signal.notifyAll('q');
    await Promise.all(sleepers);
    expect(woken).toEqual(['a', 'b', 'c']);
    // No one left to wake: a notification is not kept for a later sleeper, whose sleep ends by itself.
    signal.notify('q');
    await signal.sleep('q', 20);
  });

  it('hands a poller what this process sends to an empty queue without its fallback interval passing', async () => {
    const client = sqsClient();
    clients.push(client);
    const signal = new QueueSignal();
    signal.instrument(client);
    const queueUrl = await queue(client);
    const received: string[] = [];
    const poller = startSqsPoller({
      client,
      queueUrl,
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:signal',
      handler: async (event: SQSEvent) => void received.push(...event.Records.map((r) => r.body)),
      batchSize: 10,
      reportBatchItemFailures: false,
      timeoutSeconds: 30,
      concurrency: 3,
      signal,
      idleMs: 60_000,
    });
    pollers.push(poller);
    // Every loop finds the queue empty and sleeps, for longer than the test waits unless woken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(poller.batches).toBe(0);
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: ['two', 'three'].map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    await waitFor(
      () => received.length,
      (n) => n === 3,
      { timeout: 10_000, message: 'the three messages' },
    );
    expect(received.sort()).toEqual(['one', 'three', 'two']);
  });
});
