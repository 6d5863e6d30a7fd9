import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { EnqueueError, SqsSendQueue } from '../../../lib/adapters/sqs/sqs-send-queue.ts';
import { startFakeAwsEndpoint, type FakeAwsEndpoint, type RecordedRequest } from './fake-aws-endpoint.ts';

interface BatchEntry {
  Id: string;
  MessageBody: string;
  DelaySeconds?: number;
}

const job = (n: number): DeliveryJob => ({ v: 1, messageId: `01JOB${n}`, tenant: 't', attempt: 1 });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// The SQS emulator accepts every entry, so partial batch failures cannot be produced there;
// this endpoint answers SendMessageBatch like SQS (JSON protocol, MD5 of each accepted body,
// which the SDK verifies) and fails the entries a test picks.
describe('SqsSendQueue partial batch failures', () => {
  let fake: FakeAwsEndpoint | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function queueFailing(fail: (entry: BatchEntry, requestNo: number) => { code: string; senderFault: boolean } | undefined) {
    const started = await startFakeAwsEndpoint((request: RecordedRequest) => {
      const requestNo = started.requests.length;
      const entries = (JSON.parse(request.body) as { Entries: BatchEntry[] }).Entries;
      const outcomes = entries.map((entry) => ({ entry, failure: fail(entry, requestNo) }));
      return {
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({
          Successful: outcomes
            .filter((o) => !o.failure)
            .map((o) => ({ Id: o.entry.Id, MessageId: `m-${o.entry.Id}`, MD5OfMessageBody: md5(o.entry.MessageBody) })),
          Failed: outcomes
            .filter((o) => o.failure)
            .map((o) => ({ Id: o.entry.Id, Code: o.failure!.code, Message: 'scripted', SenderFault: o.failure!.senderFault })),
        }),
      };
    });
    fake = started;
    return {
      fake: started,
      queue: new SqsSendQueue(new SQSClient(localClientConfig(started.endpoint)), 'http://q/send', 'http://q/dlq', { backoffMs: 1 }),
    };
  }

  const entriesOf = (request: RecordedRequest) => (JSON.parse(request.body) as { Entries: BatchEntry[] }).Entries;

  it('resends only the failed entries of a batch, with the same delay', async () => {
    const { fake, queue } = await queueFailing((entry, requestNo) =>
      requestNo === 1 && entry.Id === '3' ? { code: 'ServiceUnavailable', senderFault: false } : undefined,
    );

    await queue.enqueue([job(0), job(1), job(2), job(3)], 30);

    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]?.headers['x-amz-target']).toBe('AmazonSQS.SendMessageBatch');
    const retried = entriesOf(fake.requests[1]!);
    expect(retried).toEqual([{ Id: '3', MessageBody: JSON.stringify(job(3)), DelaySeconds: 30, MessageGroupId: 't' }]);
  });

  it('clamps the delay to what SQS allows and chunks by 10', async () => {
    const { fake, queue } = await queueFailing(() => undefined);

    await queue.enqueue(
      Array.from({ length: 11 }, (_, i) => job(i)),
      5_000,
    );

    expect(fake.requests.map((r) => entriesOf(r).length)).toEqual([10, 1]);
    expect(entriesOf(fake.requests[0]!)[0]?.DelaySeconds).toBe(900);
  });

  it('throws EnqueueError after the retries, and at once for a sender fault', async () => {
    const transient = await queueFailing(() => ({ code: 'InternalError', senderFault: false }));
    await expect(transient.queue.enqueue([job(1)])).rejects.toThrow(EnqueueError);
    expect(transient.fake.requests).toHaveLength(3);
    await transient.fake.close();

    const sender = await queueFailing(() => ({ code: 'InvalidParameterValue', senderFault: true }));
    const error = await sender.queue.enqueue([job(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnqueueError);
    expect((error as EnqueueError).failures).toEqual(['InvalidParameterValue: scripted']);
    expect(sender.fake.requests).toHaveLength(1);
  });
});
