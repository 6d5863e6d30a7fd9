/**
 * The SMTP relay goes down for 30 seconds in the middle of a run of 1,000 messages: it stops
 * listening (connections are refused) and closes the connections it had with a 421. Every
 * message arrives once it is back, none twice. (A busy machine works through the queue more
 * slowly: there the outage lasts until over 100 messages met it.)
 *
 * The first retry comes after 30 s (60 s by default): a message deferred during the outage is
 * tried once while the relay is down and again within 30 s of its return — the retries spread
 * over those 30 s as the deferrals spread over the outage. Shorter backoffs would add attempts
 * that fail while the relay is down, which cost more than they save on a small machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { dynamoClient } from '../support/local-aws.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call, startPipeline } from '../support/pipeline.ts';
import { messageStates, queueDrained, sendMessages, sleep, startSmtpSink, statusCounts, type SmtpSink } from '../support/faults.ts';
import { waitFor } from '../support/wait.ts';

const MESSAGES = 1000;
const OUTAGE_MS = 30_000;
/**
 * An attempt's events carry the time it began; on a busy machine its connection to the relay
 * may come seconds later, after the relay went down or came back.
 */
const SLACK_MS = 10_000;

let sink: SmtpSink;
let runtime: LocalRuntime;
const dynamo = dynamoClient();
const log = memoryLog();

/** Messages an attempt left deferred so far. */
const deferred = () =>
  new Set(
    log.lines
      .filter((l) => l.message === 'delivery attempt finished' && Number(l.extra?.deferred ?? 0) > 0)
      .map((l) => String(l.extra?.messageId)),
  );

beforeAll(async () => {
  sink = await startSmtpSink();
  runtime = await startPipeline({ relay: sink.url, log, env: { MAILROOM_RETRY_BASE_SECONDS: '30' } });
});
afterAll(async () => {
  await runtime?.stop();
  await sink?.close();
  dynamo.destroy();
});

describe('an SMTP relay outage of 30 seconds', () => {
  it('delivers all 1,000 messages once the relay is back, none twice', async () => {
    const sending = sendMessages(
      runtime,
      MESSAGES,
      (i) => ({ from: 'news@acme.test', to: `reader${i}@remote.test`, subject: `Issue ${i}`, text: 'This week.' }),
      {
        batch: 25,
        parallel: 4,
      },
    );
    // Awaited below; a failure before that must not also surface as an unhandled rejection.
    sending.catch(() => undefined);
    // The relay goes down once the run is under way, while messages are still being accepted.
    await waitFor(
      () => sink.accepted.length,
      (accepted) => accepted >= 50,
      { timeout: 120_000, message: 'the first 50 deliveries' },
    );
    sink.refuse();
    const downAt = Date.now();
    const acceptedBefore = sink.accepted.length;
    await sleep(OUTAGE_MS);
    await waitFor(
      () => deferred().size,
      (count) => count > 100,
      { timeout: 240_000, interval: 500, message: 'over 100 messages deferred by the outage' },
    );
    const acceptedWhileDown = sink.accepted.length - acceptedBefore;
    await sink.restore();
    const upAt = Date.now();
    const ids = await sending;
    expect(new Set(ids).size).toBe(MESSAGES);

    await waitFor(
      () => sink.counts().size,
      (arrived) => arrived >= MESSAGES,
      { timeout: 240_000, message: `all ${MESSAGES} messages to arrive` },
    );
    // Nothing is left in the queue that could still bring a copy.
    await queueDrained(runtime.sqs, runtime.queueUrl, 90_000);

    expect(sink.duplicates()).toEqual([]);
    expect(sink.accepted).toHaveLength(MESSAGES);
    expect(new Set(sink.accepted)).toEqual(new Set(ids));
    // While down, the relay answered at most the transfers already under way.
    expect(acceptedWhileDown).toBeLessThanOrEqual(5);

    const states = await messageStates(dynamo, runtime.env[ENV.messagesTable]!);
    expect(statusCounts(states)).toEqual({ sent: MESSAGES });
    // A good part of the run met the outage: deferred while the relay was down, sent after.
    const retried = [...states].filter(([, s]) => s.attempts > 1).map(([id]) => id);
    expect(retried.length).toBeGreaterThan(100);
    for (const id of retried.slice(0, 5)) {
      const { events } = (await call(runtime, 'GET', `/v1/messages/${id}`)).body as {
        events: { type: string; at: string; detail: { category?: string } }[];
      };
      const deferred = events.filter((e) => e.type === 'deferred');
      expect(deferred.length).toBeGreaterThan(0);
      for (const e of deferred) {
        expect(e.detail.category).toBe('relay_unreachable');
        expect(Date.parse(e.at)).toBeGreaterThanOrEqual(downAt - SLACK_MS);
        expect(Date.parse(e.at)).toBeLessThanOrEqual(upAt + SLACK_MS);
      }
      expect(events.at(-1)?.type).toBe('sent');
      expect(Date.parse(events.at(-1)!.at)).toBeGreaterThanOrEqual(upAt - SLACK_MS);
    }
  }, 600_000);
});
