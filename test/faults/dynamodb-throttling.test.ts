/**
 * DynamoDB throttles mailroom (ProvisionedThroughputExceededException, injected through the
 * SDK's middleware stack, so that the SDK builds and retries it as it would a real one).
 *
 * Sporadic throttles never reach mailroom: the SDK retries each call (4 attempts for
 * DynamoDB) and one that succeeds on a later attempt looks like any other. What matters is a
 * throttle that outlasts those retries: the job fails, goes back to the queue and is retried —
 * and nothing may be lost or sent twice, in particular when the throttle hits the writes that
 * record a delivery the relay already accepted.
 *
 * Timings are shortened for the test: visibility 12 s, lease 15 s (180 s and 60 s in AWS): both
 * longer than an invocation here, as in AWS.
 */
import { DynamoDBClient, ListTablesCommand, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { localClientConfig } from '../../lib/local/aws.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { startPipeline } from '../support/pipeline.ts';
import {
  dynamoFaults,
  matchesCall,
  messageStates,
  messageWrites,
  queueDrained,
  sendMessages,
  startSmtpSink,
  type SmtpSink,
} from '../support/faults.ts';
import { waitFor } from '../support/wait.ts';

let sink: SmtpSink;
let runtime: LocalRuntime;
const log = memoryLog();
const faults = dynamoFaults();

beforeAll(async () => {
  sink = await startSmtpSink();
  runtime = await startPipeline({
    relay: sink.url,
    log,
    sendQueueVisibilitySeconds: 12,
    deliveryLeaseMs: 15_000,
    instrumentClient: (client) => faults.instrument(client),
  });
});
afterAll(async () => {
  faults.set(undefined);
  await runtime?.stop();
  await sink?.close();
});

const message = (tag: string) => (i: number) => ({
  from: 'billing@acme.test',
  to: `${tag}${i}@remote.test`,
  subject: `${tag} ${i}`,
  text: 'x',
});

/** Waits until every id arrived and the queue holds nothing more; then checks each arrived once and is `sent`. */
async function expectDeliveredOnce(ids: string[]): Promise<void> {
  await waitFor(
    () => ({ missing: ids.filter((id) => !sink.counts().has(id)).length }),
    ({ missing }) => missing === 0,
    { timeout: 90_000, message: `all ${ids.length} messages to arrive` },
  );
  await queueDrained(runtime.sqs, runtime.queueUrl, 90_000);
  expect(ids.map((id) => sink.counts().get(id))).toEqual(ids.map(() => 1));
  const states = await messageStates(runtime.dynamo, runtime.env[ENV.messagesTable]!);
  expect(ids.map((id) => states.get(id)?.status)).toEqual(ids.map(() => 'sent'));
}

describe('DynamoDB throttling', () => {
  it('is the exception the SDK builds from a throttled answer, and retries before giving up', async () => {
    const client = new DynamoDBClient(localClientConfig(inject('dynamoEndpoint')));
    const own = dynamoFaults();
    own.instrument(client);
    // Throttled on every attempt: the SDK gives up after its retries.
    own.set(() => 'throughput-exceeded');
    const error = await client.send(new ListTablesCommand({ Limit: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 4 },
    });
    // Throttled on the first attempt only: the caller never knows.
    let calls = 0;
    own.set(() => (++calls % 2 === 1 ? 'throughput-exceeded' : undefined));
    const answer = await client.send(new ListTablesCommand({ Limit: 1 }));
    expect(answer.$metadata.attempts).toBe(2);
    client.destroy();
  }, 60_000);

  it('retries the jobs through the queue when claims stay throttled for longer than the SDK retries, losing none', async () => {
    const messagesTable = runtime.env[ENV.messagesTable]!;
    const logged = log.lines.length;
    const failuresBefore = log.lines.filter((l) => l.message === 'delivery job failed').length;
    // The messages table throttles the claims and the reads of bodies that follow them (a
    // claimed attempt then waits for its lease to run out) while the messages are sent.
    const { claim } = messageWrites(messagesTable);
    const read = { command: 'GetItemCommand', table: messagesTable };
    faults.set((call) => (matchesCall(call, claim) || matchesCall(call, read) ? 'throughput-exceeded' : undefined));
    const ids = await sendMessages(runtime, 60, message('claim'), { batch: 20, parallel: 3 });
    // The throttle lasts until every message's job has failed on it once: past the SDK's
    // retries, and back to the queue.
    await waitFor(
      () => {
        const failed = new Set(log.lines.slice(logged).flatMap((l) => (l.message === 'delivery job failed' ? [l.extra?.messageId] : [])));
        return { notYetFailed: ids.filter((id) => !failed.has(id)).length };
      },
      ({ notYetFailed }) => notYetFailed === 0,
      { timeout: 90_000, message: "every message's job to fail on the throttle" },
    );
    faults.set(undefined);

    await expectDeliveredOnce(ids);
    expect(faults.injected.get('UpdateItemCommand')).toBeGreaterThan(0);
    // Jobs failed past the SDK's retries, and went back to the queue.
    const failures = log.lines.filter((l) => l.message === 'delivery job failed').slice(failuresBefore);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((l) => String(l.extra?.error).includes('ProvisionedThroughputExceededException'))).toBe(true);
  }, 300_000);

  it('does not send twice when the write that records an accepted delivery stays throttled', async () => {
    // The write is tried again while the lease holds. A throttle that outlasts the lease sends the
    // job back to the queue, and the worker that takes the attempt over finds the relay's answers
    // in the attempt's events (written first): it records them and relays nothing a second time.
    const messagesTable = runtime.env[ENV.messagesTable]!;
    // Only the write that ends an attempt (the message item's status and its recipients).
    const { complete } = messageWrites(messagesTable);
    faults.set((call) => (matchesCall(call, complete) ? 'throughput-exceeded' : undefined));
    const before = faults.total();
    const logged = log.lines.length;
    const ids = await sendMessages(runtime, 20, message('rec'), { batch: 20 });
    // The throttle lasts until the relay has accepted every message, a record was tried again
    // past the SDK's retries, and at least one attempt outlasted its lease and was taken over.
    await waitFor(
      () => {
        const lines = log.lines.slice(logged);
        return {
          accepted: ids.filter((id) => sink.counts().has(id)).length,
          triedAgain: lines.filter((l) => l.message === 'recording a delivery attempt failed; trying again').length,
          takenOver: lines.filter((l) => l.message === 'attempt taken over: answers already recorded are kept').length,
        };
      },
      (seen) => seen.accepted === ids.length && seen.triedAgain > 0 && seen.takenOver > 0,
      { timeout: 120_000, message: 'every message accepted by the relay with its record throttled, and an attempt taken over' },
    );
    faults.set(undefined);

    await expectDeliveredOnce(ids);
    expect(faults.total()).toBeGreaterThan(before);
  }, 300_000);
});
