/**
 * A poison message: its job fails on every receive (DynamoDB answers every claim of that one
 * message with an internal error). The rest of its batch is delivered at once; the poison
 * job is received the configured number of times (5), then marked `failed` and moved to the
 * dead-letter queue. `npx mailroom redrive` then moves it back, queued again, and it is
 * delivered once the fault is gone.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoMessageStore } from '../../lib/adapters/dynamodb/message-store.ts';
import { SqsDeadLetterQueue } from '../../lib/adapters/sqs/redrive.ts';
import { SqsSendQueue } from '../../lib/adapters/sqs/sqs-send-queue.ts';
import { ENV } from '../../lib/env.ts';
import type { LocalAwsClient, LocalRuntime } from '../../lib/local/runtime.ts';
import { systemClock } from '../../lib/ports/clock.ts';
import { SEND_QUEUE } from '../../lib/topology.ts';
import { redrive } from '../../lib/use-cases/redrive.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call, startPipeline, waitForMessage, type ApiAnswer } from '../support/pipeline.ts';
import { localTableNames } from '../../lib/local/create-tables.ts';
import { dynamoFaults, matchesCall, messageWrites, queueDrained, sendMessages, startSmtpSink, type SmtpSink } from '../support/faults.ts';
import { cliEnv, freshQueues, uniquePrefix } from '../support/local-aws.ts';
import { waitFor } from '../support/wait.ts';

const run = promisify(execFile);
const POISON = 'poison@remote.test';

let sink: SmtpSink;
let runtime: LocalRuntime;
const prefix = uniquePrefix();
const messagesTable = localTableNames(prefix).messages;
const log = memoryLog();
const faults = dynamoFaults();
/** The jobs (message ids) of each batch the delivery poller received. */
const batches: string[][] = [];
let poisonId: string | undefined;
/** While set, the relay answers 451 to later@remote.test. */
let refuseLater = false;

/** Records the batches received from the send queue. */
function recordBatches(client: LocalAwsClient): void {
  if (!(client instanceof SQSClient)) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { QueueUrl?: string };
      if (context.commandName === 'ReceiveMessageCommand' && input.QueueUrl === runtime?.queueUrl) {
        const messages = (result.output as { Messages?: { Body?: string }[] }).Messages ?? [];
        if (messages.length) batches.push(messages.map((m) => (JSON.parse(m.Body ?? '{}') as { messageId?: string }).messageId ?? ''));
      }
      return result;
    },
    { step: 'initialize', name: 'recordBatches' },
  );
}

beforeAll(async () => {
  sink = await startSmtpSink({
    rcpt: (address) => (refuseLater && address === 'later@remote.test' ? { code: 451, text: '4.2.0 Try again later' } : undefined),
  });
  // The store learns the poison message's id when it is created, then fails each of its claims.
  // Its job is enqueued before the message is stored, so a claim may come first: it finds no
  // message and the job goes back to the queue, without failing. The rule decides each claim
  // when the call leaves, but DynamoDB may carry out a claim that left before the store after
  // it: a claim of a message whose store has not left yet is answered as DynamoDB answers it
  // before the store (its condition refused, no item), so none reaches the poison unmatched.
  const { claim } = messageWrites(messagesTable);
  const stored = new Set<string>();
  faults.set((dynamoCall) => {
    if (matchesCall(dynamoCall, { command: 'PutItemCommand', table: messagesTable })) {
      // The message item holds its recipients in the `rcpt` map.
      const item = dynamoCall.input.Item as Record<string, { S?: string; M?: Record<string, unknown> }> | undefined;
      if (item?.sk?.S === '#' && item.pk?.S) {
        stored.add(item.pk.S);
        if (item.rcpt?.M?.[POISON]) poisonId = item.pk.S;
      }
      return undefined;
    }
    if (!matchesCall(dynamoCall, claim)) return undefined;
    const id = (dynamoCall.input.Key as Record<string, { S?: string }>).pk?.S ?? '';
    if (!stored.has(id)) return 'conditional-check-failed';
    // Only the claims of its attempts fail: marking the message failed must still work.
    return id === poisonId ? 'internal-error' : undefined;
  });
  runtime = await startPipeline({
    prefix,
    relay: sink.url,
    log,
    deliverConcurrency: 1,
    // Shorter than in AWS (180 s), longer than a batch takes here even on a busy machine, so that
    // receives never overlap: a last receive still running when its message becomes visible again
    // would be dead-lettered twice, by the handler and by the queue's redrive policy.
    sendQueueVisibilitySeconds: 10,
    instrumentClient: (client) => {
      faults.instrument(client);
      recordBatches(client);
    },
  });
});
afterAll(async () => {
  await runtime?.stop();
  await sink?.close();
});

const cli = (args: string[]) =>
  run(
    process.execPath,
    [
      '--import',
      'tsx',
      'bin/mailroom.ts',
      'redrive',
      '--queue-url',
      runtime.queueUrl,
      '--dlq-url',
      runtime.deadLetterQueueUrl,
      '--table',
      runtime.env[ENV.messagesTable]!,
      ...args,
    ],
    { env: cliEnv({ AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'), AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint') }) },
  );

/** What a dead-letter queue holds, left visible (the emulator may hand a message out more than once in one answer then). */
async function deadLetters(queueUrl = runtime.deadLetterQueueUrl) {
  const { Messages = [] } = await runtime.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      VisibilityTimeout: 0,
      MessageAttributeNames: ['All'],
    }),
  );
  return [...new Map(Messages.map((m) => [m.MessageId, m])).values()];
}

describe('a poison message', () => {
  let ids: string[] = [];
  let failedPoison: ApiAnswer['body'];

  // Every test here starts from where the poison's own retries end: failed, its job dead-lettered.
  beforeAll(async () => {
    ids = await sendMessages(
      runtime,
      10,
      (i) => ({ from: 'shop@acme.test', to: i === 4 ? POISON : `buyer${i}@remote.test`, subject: `Order ${i}`, text: 'x' }),
      { batch: 10 },
    );
    // The status and the `failed` event are two writes: wait for both before reading them.
    failedPoison = await waitForMessage(
      runtime,
      ids[4]!,
      (m) => m.status === 'failed' && m.events.some((e: { type: string }) => e.type === 'failed'),
      90_000,
    );
    await waitFor(deadLetters, (letters) => letters.length > 0, { timeout: 30_000, message: 'the dead letter' });
  }, 240_000);

  it('reaches the DLQ after the configured receives, marked failed, while the rest of its batch is delivered', async () => {
    expect(poisonId).toBe(ids[4]);
    const others = ids.filter((id) => id !== poisonId);
    expect(failedPoison.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'failed']);
    expect(failedPoison.events[1].detail.reason).toMatch(/gave up after 5 receives/);

    // The poison's first batch held the others too; they were delivered from it, once each.
    const first = batches.find((batch) => batch.includes(poisonId!))!;
    expect(first.length).toBeGreaterThan(1);
    await waitFor(
      () => others.filter((id) => sink.counts().get(id) !== 1),
      (waiting) => waiting.length === 0,
      { timeout: 60_000, message: 'the other messages to arrive once each' },
    );
    for (const id of others) expect((await call(runtime, 'GET', `/v1/messages/${id}`)).body).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sink.counts().has(poisonId!)).toBe(false);

    // Received exactly the configured number of times, failing each time.
    const receives = log.lines
      .filter((l) => l.message === 'delivery job failed' && l.extra?.messageId === poisonId)
      .map((l) => l.extra?.receiveCount);
    expect(receives).toEqual(Array.from({ length: SEND_QUEUE.maxReceiveCount }, (_, i) => i + 1));
    const dead = await deadLetters();
    expect(dead.map((m) => JSON.parse(m.Body!).messageId)).toEqual([poisonId]);
    expect(dead[0]!.MessageAttributes?.reason?.StringValue).toMatch(/^gave up after 5 receives: InternalServerError/);
  }, 240_000);

  it('`npx mailroom redrive` moves DLQ jobs back, queues the failed message again, and it is delivered', async () => {
    // Two letters a redrive cannot use, beside the poison's job.
    await runtime.sqs.send(new SendMessageCommand({ QueueUrl: runtime.deadLetterQueueUrl, MessageBody: 'not json' }));
    await runtime.sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.deadLetterQueueUrl,
        MessageBody: JSON.stringify({ v: 1, messageId: '01NOSUCHMESSAGE', tenant: 'dev', attempt: 1 }),
      }),
    );

    const preview = await cli(['--dry-run']);
    expect(preview.stdout).toContain('redriven: 1 job(s) would be put back on the send queue (1 failed message(s) would be queued again)');
    expect(preview.stdout).toContain('left in the dead-letter queue: 2 (not a delivery job: 1, message not found: 1)');
    // A dry run changes nothing.
    expect((await call(runtime, 'GET', `/v1/messages/${poisonId}`)).body.status).toBe('failed');
    expect(await deadLetters()).toHaveLength(3);

    faults.set(undefined);
    const { stdout } = await cli([]);
    expect(stdout).toContain('redriven: 1 job(s) put back on the send queue (1 failed message(s) queued again)');
    expect(stdout).toContain('left in the dead-letter queue: 2 (not a delivery job: 1, message not found: 1)');

    const sent = await waitForMessage(runtime, poisonId!, (m) => m.status === 'sent', 60_000);
    expect(sent.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'failed', 'sent']);
    expect(sent.recipients).toEqual([expect.objectContaining({ email: POISON, status: 'sent', attempts: 1 })]);
    await queueDrained(runtime.sqs, runtime.queueUrl, 60_000);
    expect(sink.counts().get(poisonId!)).toBe(1);
    expect(sink.duplicates()).toEqual([]);
    // What it could not use stays in the dead-letter queue, visible at once.
    expect((await deadLetters()).map((m) => m.Body).sort()).toEqual(
      ['not json', JSON.stringify({ v: 1, messageId: '01NOSUCHMESSAGE', tenant: 'dev', attempt: 1 })].sort(),
    );
  }, 240_000);

  it('queues again only the failed recipients, and removes letters whose message is finished', async () => {
    // One recipient accepted, the other deferred until mailroom gives up on the message.
    refuseLater = true;
    const [id] = await sendMessages(runtime, 1, () => ({
      from: 'shop@acme.test',
      to: ['now@remote.test', 'later@remote.test'],
      subject: 'Two',
      text: 'x',
    }));
    await waitForMessage(runtime, id!, (m) => m.status === 'deferred', 60_000);
    const store = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
    const markedFailed = await store.markFailed(id!, new Date().toISOString());
    expect(markedFailed?.recipients.map((r) => [r.email, r.status])).toEqual([
      ['now@remote.test', 'sent'],
      ['later@remote.test', 'failed'],
    ]);
    // A dead-letter queue of its own, with a letter redrive cannot use.
    const { deadLetterQueueUrl } = await freshQueues(runtime.sqs);
    await runtime.sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueueUrl, MessageBody: 'not json' }));
    const dlq = new SqsDeadLetterQueue(runtime.sqs, deadLetterQueueUrl);
    const before = await redrive(
      {
        deadLetters: dlq,
        queue: new SqsSendQueue(runtime.sqs, runtime.queueUrl, runtime.deadLetterQueueUrl),
        messages: store,
        clock: systemClock,
      },
      { dryRun: true },
    );
    await runtime.sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MessageBody: JSON.stringify({ v: 1, messageId: id, tenant: 'dev', attempt: markedFailed!.message.attempts }),
      }),
    );
    // A message of the first batch, long delivered: its letter has nothing left to do.
    const delivered = ids.find((other) => other !== poisonId)!;
    await waitForMessage(runtime, delivered, (m) => m.status === 'sent', 60_000);
    await runtime.sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MessageBody: JSON.stringify({ v: 1, messageId: delivered, tenant: 'dev', attempt: 1 }),
      }),
    );

    refuseLater = false;
    const result = await redrive({
      deadLetters: dlq,
      queue: new SqsSendQueue(runtime.sqs, runtime.queueUrl, runtime.deadLetterQueueUrl),
      messages: store,
      clock: systemClock,
    });
    expect(result).toEqual({ redriven: 1, revived: 1, finished: 1, left: before.left });
    const sent = await waitForMessage(runtime, id!, (m) => m.status === 'sent', 60_000);
    expect(sent.recipients.map((r: { email: string; status: string }) => [r.email, r.status])).toEqual([
      ['now@remote.test', 'sent'],
      ['later@remote.test', 'sent'],
    ]);
    expect(sent.attempts).toBeGreaterThan(markedFailed!.message.attempts);
    // Only the letter redrive cannot use is left.
    expect((await deadLetters(deadLetterQueueUrl)).map((m) => m.Body)).toEqual(['not json']);
  }, 240_000);

  it('refuses to run without the queues and the table', async () => {
    const failed = run(process.execPath, ['--import', 'tsx', 'bin/mailroom.ts', 'redrive', '--dlq-url', 'x'], {
      env: { ...process.env, [ENV.sendQueueUrl]: '', [ENV.messagesTable]: '' },
    });
    await expect(failed).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--queue-url, --dlq-url and --table are required'),
    });
  });
});
