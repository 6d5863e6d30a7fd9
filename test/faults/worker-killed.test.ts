/**
 * The delivery worker's process is killed (SIGKILL) in the middle of a batch, then a new one
 * starts on the same tables and queue: nothing is lost and nothing is sent twice.
 *
 * The window tested, precisely: the worker dies with batches in flight, after it claimed
 * attempts (their leases are written) and while the relay holds those messages' DATA
 * unanswered — so before the relay accepted them — while other records of the same batches
 * were delivered and recorded, and the remaining jobs still wait in the queue.
 * The one window where mailroom may send twice (the relay accepted, the worker died before
 * recording it: README, "What happens after 202") is ruled out on purpose: the relay stops
 * accepting before the kill, and the kill waits until every message it accepted is recorded.
 *
 * The queue is the test run's SQS emulator, outside the killed process, so its jobs survive as
 * they would on SQS: the jobs the dead worker had received come back after the visibility
 * timeout, as Lambda's would. Timings are shortened (visibility 5 s, lease 12 s; in AWS 180 s
 * and 60 s) so that both the taken-over attempts and the returning jobs fit in the test.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { dynamoClient, sqsClient, uniquePrefix } from '../support/local-aws.ts';
import { memoryLog } from '../support/fakes/index.ts';
import {
  messageStates,
  queueDrained,
  sendMessages,
  spawnRuntime,
  startSmtpSink,
  statusCounts,
  type ChildRuntime,
  type SmtpSink,
} from '../support/faults.ts';
import { waitFor } from '../support/wait.ts';

const MESSAGES = 60;
const ACCEPTED_BEFORE_KILL = 15;

let sink: SmtpSink | undefined;
let child: ChildRuntime | undefined;
let second: LocalRuntime | undefined;
const dynamo = dynamoClient();
const sqs = sqsClient();

afterAll(async () => {
  await child?.kill();
  await second?.stop();
  await sink?.close();
  dynamo.destroy();
  sqs.destroy();
});

describe('a delivery worker killed mid-batch', () => {
  it('loses nothing and sends nothing twice once a new worker takes over', async () => {
    sink = await startSmtpSink();
    // The relay accepts the first messages, then reads each DATA without ever answering it.
    sink.hold(ACCEPTED_BEFORE_KILL);
    const options = {
      port: 0,
      relay: sink.url,
      prefix: uniquePrefix(),
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
      deliverConcurrency: 2,
      sendQueueVisibilitySeconds: 5,
      deliveryLeaseMs: 12_000,
      env: { MAILROOM_RETRY_BASE_SECONDS: '1' },
    };
    child = await spawnRuntime(options);
    const { apiUrl, apiKey, messagesTable, queueUrl } = child.info;

    // One batch request; sent again with its Idempotency-Key if a busy machine answers 500 or 503.
    const ids = await sendMessages(
      { apiUrl, apiKey },
      MESSAGES,
      (i) => ({ from: 'ops@acme.test', to: `k${i}@remote.test`, subject: `Kill ${i}`, text: 'x' }),
      { batch: MESSAGES },
    );
    expect(new Set(ids).size).toBe(MESSAGES);

    // Mid-batch: the relay took ACCEPTED_BEFORE_KILL messages and holds more; every message it
    // took is recorded, so none is in the duplicate window.
    await waitFor(
      () => ({ accepted: sink!.accepted.length, held: sink!.held().length }),
      (seen) => seen.accepted >= ACCEPTED_BEFORE_KILL && seen.held >= 3,
      { timeout: 90_000, message: `${ACCEPTED_BEFORE_KILL} accepted and 3 held transfers` },
    );
    await waitFor(
      async () => {
        const states = await messageStates(dynamo, messagesTable);
        return sink!.accepted.filter((id) => states.get(id)?.status !== 'sent');
      },
      (unrecorded) => unrecorded.length === 0,
      { timeout: 30_000, message: 'the accepted messages to be recorded as sent' },
    );
    const held = sink.held();
    await child.kill();

    const atKill = await messageStates(dynamo, messagesTable);
    const leased = [...atKill].filter(([, s]) => s.leaseUntil !== undefined).map(([id]) => id);
    expect(statusCounts(atKill).sent).toBe(ACCEPTED_BEFORE_KILL);
    expect(leased).toEqual(expect.arrayContaining(held));
    // Some jobs were claimed, some not even that: the kill landed in the middle.
    expect([...atKill.values()].filter((s) => s.status === 'queued' && s.leaseUntil === undefined).length).toBeGreaterThan(0);

    // The dead worker's connections are gone; their transfers were never answered.
    await waitFor(
      () => sink!.held().length,
      (held) => held === 0,
      { timeout: 30_000, message: 'the held connections to close' },
    );
    sink.accept();
    second = await startLocal({ ...options, log: memoryLog() });

    await waitFor(
      () => ({ missing: ids.filter((id) => !sink!.counts().has(id)).length }),
      ({ missing }) => missing === 0,
      { timeout: 120_000, message: `all ${MESSAGES} messages to arrive` },
    );
    // The jobs the dead worker had received come back after the visibility timeout; wait until
    // the queue has nothing left, so that no copy can still arrive.
    await queueDrained(sqs, queueUrl, 90_000);

    expect(sink.duplicates()).toEqual([]);
    expect(sink.accepted).toHaveLength(MESSAGES);
    const after = await messageStates(dynamo, messagesTable);
    expect(statusCounts(after)).toEqual({ sent: MESSAGES });
    // A taken-over attempt keeps its number: each message was relayed in attempt 1.
    expect([...after.values()].every((s) => s.attempts === 1 && s.leaseUntil === undefined)).toBe(true);
  }, 420_000);
});
