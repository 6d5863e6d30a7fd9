/**
 * Local mode stopped (what Ctrl-C on `npm start` does: LocalRuntime.stop) while messages are
 * still queued — some never tried, some deferred with their retry waiting in the queue, some
 * on their way to the relay — and started again: every message is delivered, once.
 *
 * As with `npm start`, the runtime runs its own SQS emulator, whose queue goes with it; what
 * survives is DynamoDB (here the test run's DynamoDB Local, under the same table prefix), from
 * which the next start requeues what is still pending. That is the difference from the killed
 * worker (worker-killed.test.ts), where the queue outlives the process. That the data folder
 * itself survives a restart is tested in test/integration/pipeline/ses-and-restart.test.ts.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startLocal, type LocalOptions, type LocalRuntime } from '../../lib/local/runtime.ts';
import { uniquePrefix } from '../support/local-aws.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { call } from '../support/pipeline.ts';
import { sendMessages, startSmtpSink, type SmtpSink } from '../support/faults.ts';
import { waitFor } from '../support/wait.ts';

const FIRST = 40;
const MESSAGES = 150;
/** Recipients of the first part whose first try is answered 451 (greylisting), then accepted. */
const greylisted = (i: number) => i < FIRST && i % 4 === 3;

let sink: SmtpSink | undefined;
let runtime: LocalRuntime | undefined;

afterAll(async () => {
  await runtime?.stop();
  await sink?.close();
});

describe('local mode stopped with messages queued', () => {
  it('delivers them, once each, when started again', async () => {
    sink = await startSmtpSink({
      delayMs: 100,
      rcpt: (address, tries) =>
        address.startsWith('grey') && tries === 1 ? { code: 451, text: '4.7.1 Greylisted, try again later' } : undefined,
    });
    const options: LocalOptions = {
      port: 0,
      relay: sink.url,
      prefix: uniquePrefix(),
      dynamoEndpoint: inject('dynamoEndpoint'),
      // Long enough that a deferred message's retry still waits in the queue when local mode stops.
      env: { MAILROOM_RETRY_BASE_SECONDS: '60' },
      log: memoryLog(),
    };
    runtime = await startLocal(options);
    const message = (i: number) => ({
      from: 'ops@acme.test',
      to: `${greylisted(i) ? 'grey' : 'user'}${i}@remote.test`,
      subject: `Restart ${i}`,
      text: 'x',
    });
    // A first part is delivered, its greylisted recipients deferred (their retries wait in the queue)…
    const ids = await sendMessages(runtime, FIRST, message, { batch: FIRST });
    const greys = ids.filter((_, i) => greylisted(i));
    const greyAddresses = ids.map((_, i) => `grey${i}@remote.test`).filter((_, i) => greylisted(i));
    await waitFor(
      () => ({
        undelivered: ids.filter((id) => !greys.includes(id) && !sink!.counts().has(id)).length,
        untried: greyAddresses.filter((address) => !sink!.tries.has(address)).length,
      }),
      (left) => left.undelivered === 0 && left.untried === 0,
      { timeout: 90_000, message: 'the first part to be delivered or tried' },
    );
    // …then the relay holds what comes, so that the rest is under way or still queued at the stop.
    sink.hold();
    const rest = await sendMessages(runtime, MESSAGES - FIRST, (i) => message(FIRST + i), { batch: 50 });
    ids.push(...rest);
    await waitFor(
      () => sink!.held().length,
      (held) => held > 0,
      { timeout: 60_000, message: 'deliveries under way' },
    );
    // Stopping lets the deliveries under way finish: the relay answers them now.
    const stopping = runtime.stop();
    sink.accept();
    await stopping;
    runtime = undefined;
    const deliveredBefore = new Set(sink.accepted);
    const pending = ids.filter((id) => !deliveredBefore.has(id));
    expect(greys.every((id) => pending.includes(id))).toBe(true);
    // Some of the rest was never even tried.
    expect(rest.filter((id) => pending.includes(id)).length).toBeGreaterThan(0);

    runtime = await startLocal({ ...options, log: memoryLog() });
    // A clean stop let the deliveries under way finish and be recorded: exactly the others are requeued.
    expect(runtime.requeued).toBe(pending.length);
    await waitFor(
      () => ({ missing: ids.filter((id) => !sink!.counts().has(id)).length }),
      ({ missing }) => missing === 0,
      { timeout: 120_000, message: `all ${MESSAGES} messages to arrive` },
    );
    await waitFor(
      async () => (await Promise.all(pending.map((id) => call(runtime!, 'GET', `/v1/messages/${id}`)))).map((m) => m.body.status),
      (statuses) => statuses.every((status) => status === 'sent'),
      { timeout: 60_000, message: 'every message recorded as sent' },
    );
    expect(sink.duplicates()).toEqual([]);
    expect(sink.accepted).toHaveLength(MESSAGES);
    const grey = (await call(runtime, 'GET', `/v1/messages/${greys[0]}`)).body;
    expect(grey).toMatchObject({ status: 'sent', attempts: 2 });
    expect(grey.events.map((e: { type: string }) => e.type)).toEqual(['queued', 'deferred', 'sent']);
  }, 420_000);
});
