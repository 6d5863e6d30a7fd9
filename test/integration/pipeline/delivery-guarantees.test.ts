/**
 * What the queue's at-least-once delivery and DynamoDB's stream retries must not cause: a
 * second copy of a message, or an event counted twice. The handlers are invoked here the
 * way Lambda would invoke them, with records read from the real SQS emulator and stream.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { lambdaContext } from '../../../lib/local/lambda-context.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { toSqsRecord } from '../../../lib/local/sqs-poller.ts';
import { STREAM_SOURCES } from '../../../lib/topology.ts';
import { ENV } from '../../../lib/env.ts';
import { partitionRecords } from '../../support/local-aws.ts';
import { call, startPipeline } from '../../support/pipeline.ts';

let runtime: LocalRuntime;
const context = lambdaContext('test', 30);

beforeAll(async () => {
  runtime = await startPipeline({ pollers: false });
});
afterAll(() => runtime?.stop());

async function receiveAll(queueUrl: string, visibilitySeconds = 2): Promise<SQSEvent> {
  const received = await runtime.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      VisibilityTimeout: visibilitySeconds,
      AttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return { Records: (received.Messages ?? []).map((m) => toSqsRecord(m, 'arn:aws:sqs:us-east-1:000000000000:test')) };
}

/** Sends `fields` through the API and delivers its job with the handler, as the poller would: returns the message id. */
async function sendAndDeliver(fields: Record<string, unknown>): Promise<string> {
  const sent = await call(runtime, 'POST', '/v1/messages', fields);
  expect(sent.status).toBe(202);
  const received = await receiveAll(runtime.queueUrl);
  const own = received.Records.filter((r) => JSON.parse(r.body).messageId === sent.body.id);
  expect(own).toHaveLength(1);
  expect((await runtime.handlers.deliver({ Records: own }, context)).batchItemFailures).toEqual([]);
  await runtime.sqs.send(new DeleteMessageCommand({ QueueUrl: runtime.queueUrl, ReceiptHandle: own[0]!.receiptHandle }));
  return sent.body.id;
}

/**
 * The stream records of one message, from the start of the events table's stream and the
 * messages table's, as their event sources pass them to the stream function.
 */
async function streamEvent(messageId: string): Promise<DynamoDBStreamEvent> {
  const records = [];
  for (const source of STREAM_SOURCES) {
    const arn = source.table === 'events' ? runtime.eventsStreamArn : runtime.messagesStreamArn;
    records.push(...(await partitionRecords(arn, source, messageId)));
  }
  return { Records: records };
}

const message = { from: 'shop@acme.test', to: 'eve@remote.test', subject: 'Order shipped', text: 'On its way.' };

describe('delivery guarantees', () => {
  it('relays a job delivered twice, even at the same moment, only once', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', message);
    expect(sent.status).toBe(202);
    const event = await receiveAll(runtime.queueUrl);
    expect(event.Records).toHaveLength(1);

    // Two workers get the same job at once (SQS may hand a message out twice).
    const answers = await Promise.all([runtime.handlers.deliver(event, context), runtime.handlers.deliver(event, context)]);
    expect(answers.every((a) => a.batchItemFailures.length === 0)).toBe(true);
    // And the job comes back later, as after a lost delete.
    const again = { Records: event.Records.map((r) => ({ ...r, attributes: { ...r.attributes, ApproximateReceiveCount: '2' } })) };
    expect((await runtime.handlers.deliver(again, context)).batchItemFailures).toEqual([]);

    // No poller runs here and every invocation has returned (the capture relay keeps a message
    // before it answers): nothing else can still relay it.
    expect(runtime.capture!.messages().filter((m) => m.subject === 'Order shipped')).toHaveLength(1);
    const stored = await call(runtime, 'GET', `/v1/messages/${sent.body.id}`);
    expect(stored.body).toMatchObject({ status: 'sent', attempts: 1 });
    expect(stored.body.events.filter((e: { type: string }) => e.type === 'sent')).toHaveLength(1);
  });

  it('counts each event once in the daily report when a stream batch is handed over again', async () => {
    const id = await sendAndDeliver({ ...message, subject: 'Counted once' });
    const event = await streamEvent(id);
    // The message item's insert (queued) and the write that ended the attempt (sent); the claim
    // between them and the body item are filtered out.
    expect(event.Records.map((r) => [r.eventName, r.dynamodb?.Keys?.sk?.S])).toEqual([
      ['INSERT', '#'],
      ['MODIFY', '#'],
    ]);
    expect((await runtime.handlers.stream(event, context)).batchItemFailures).toEqual([]);
    // The same batch again (a retried invocation), and twice at once.
    await Promise.all([runtime.handlers.stream(event, context), runtime.handlers.stream(event, context)]);

    const day = new Date().toISOString().slice(0, 10);
    const report = await call(runtime, 'GET', `/v1/reports/daily?from=${day}&to=${day}`);
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({ requested: 1, sent: 1, bounced: 0 });
    expect(report.body.days).toEqual([expect.objectContaining({ day, requested: 1, sent: 1 })]);
    // Every event was published to subscribers (at least once).
    expect(runtime.notifier.recent().map((n) => n.type)).toEqual(expect.arrayContaining(['queued', 'sent']));
  });

  it('moves a job for a message that cannot be composed to the DLQ and marks the message failed', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...message, subject: 'Broken' });
    const job = await receiveAll(runtime.queueUrl);
    // Corrupt the stored message so that composing it fails (an impossible Date).
    const store = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
    const stored = await store.get(sent.body.id);
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await runtime.dynamo.send(
      new UpdateItemCommand({
        TableName: runtime.env[ENV.messagesTable]!,
        Key: { pk: { S: stored!.message.id }, sk: { S: '#' } },
        UpdateExpression: 'SET createdAt = :bad',
        ExpressionAttributeValues: { ':bad': { S: 'not a time' } },
      }),
    );
    expect((await runtime.handlers.deliver(job, context)).batchItemFailures).toEqual([]);

    const dead = await receiveAll(runtime.deadLetterQueueUrl, 300);
    expect(dead.Records.map((r) => JSON.parse(r.body).messageId)).toEqual([sent.body.id]);
    expect(dead.Records[0]?.messageAttributes.reason?.stringValue).toBeDefined();
    const failed = await call(runtime, 'GET', `/v1/messages/${sent.body.id}`);
    expect(failed.body.status).toBe('failed');
    expect(failed.body.events.map((e: { type: string }) => e.type)).toContain('failed');
  });

  it('dead-letters a queue message that is not a delivery job', async () => {
    await runtime.sqs.send(new SendMessageCommand({ QueueUrl: runtime.queueUrl, MessageBody: '{"hello":"world"}' }));
    const event = await receiveAll(runtime.queueUrl);
    expect((await runtime.handlers.deliver(event, context)).batchItemFailures).toEqual([]);
    const dead = await receiveAll(runtime.deadLetterQueueUrl, 300);
    expect(dead.Records.map((r) => r.body)).toEqual(['{"hello":"world"}']);
  });
});
