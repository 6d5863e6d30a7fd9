import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeliveryJob, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { SqsSendQueue } from '../../../lib/adapters/sqs/sqs-send-queue.ts';
import { freshQueues, sqsClient } from '../../support/local-aws.ts';
import { waitFor } from '../../support/wait.ts';

function job(n: number, extra: Partial<DeliveryJob> = {}): DeliveryJob {
  return { v: 1, messageId: `01SQSJOB${String(n).padStart(4, '0')}`, tenant: 'tenant-a', attempt: 1, ...extra };
}

/** Receives until `count` messages arrived (no deletes: fresh queues); fails naming how many did. */
async function receiveAll(client: SQSClient, queueUrl: string, count: number, attributes = false): Promise<Message[]> {
  const messages: Message[] = [];
  await waitFor(
    async () => {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          // Short polls: nothing waits in the emulator, so nothing is handed out twice.
          WaitTimeSeconds: 0,
          ...(attributes ? { MessageAttributeNames: ['All'] } : {}),
        }),
      );
      messages.push(...Messages);
      return messages.length;
    },
    (received) => received >= count,
    { timeout: 10_000, message: `${count} messages on ${queueUrl}` },
  );
  return messages;
}

describe('SqsSendQueue against the SQS emulator', () => {
  let client: SQSClient;
  beforeAll(() => {
    client = sqsClient();
  });

  it('enqueues 25 jobs in batches and every one arrives as JSON', async () => {
    const { queueUrl, deadLetterQueueUrl } = await freshQueues(client);
    const queue = new SqsSendQueue(client, queueUrl, deadLetterQueueUrl);
    const jobs = Array.from({ length: 25 }, (_, i) => job(i, i % 5 === 0 ? { notBefore: 1_800_000_000_000 } : {}));

    await queue.enqueue(jobs);

    const received = await receiveAll(client, queueUrl, 25);
    expect(received).toHaveLength(25);
    const parsed = received.map((m) => parseDeliveryJob(m.Body ?? ''));
    expect(parsed.map((j) => j?.messageId).sort()).toEqual(jobs.map((j) => j.messageId).sort());
    expect(parsed.filter((j) => j?.notBefore !== undefined)).toHaveLength(5);
  });

  it('honours the delay: a job delayed by one second is not visible at once', async () => {
    const { queueUrl, deadLetterQueueUrl } = await freshQueues(client);
    const queue = new SqsSendQueue(client, queueUrl, deadLetterQueueUrl);

    await queue.enqueue([job(1)], 1);

    const immediately = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect(immediately.Messages ?? []).toHaveLength(0);
    const later = await receiveAll(client, queueUrl, 1);
    expect(later.map((m) => parseDeliveryJob(m.Body ?? '')?.messageId)).toEqual([job(1).messageId]);
  });

  it('dead-letters a job, or a raw body that is not one, with the reason attribute', async () => {
    const { queueUrl, deadLetterQueueUrl } = await freshQueues(client);
    const queue = new SqsSendQueue(client, queueUrl, deadLetterQueueUrl);

    await queue.deadLetter(job(7), 'message cannot be composed');
    await queue.deadLetter('{not json', 'unparseable job');

    const dead = await receiveAll(client, deadLetterQueueUrl, 2, true);
    const byReason = new Map(dead.map((m) => [m.MessageAttributes?.reason?.StringValue, m.Body]));
    expect(byReason.get('message cannot be composed')).toBe(JSON.stringify(job(7)));
    expect(byReason.get('unparseable job')).toBe('{not json');
    expect(dead[0]?.MessageAttributes?.reason?.DataType).toBe('String');
    // Nothing landed on the send queue itself.
    const live = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
    expect(live.Messages ?? []).toHaveLength(0);
  });
});
