/**
 * Scheduled sends through the local runtime's real handlers: HTTP API → local scheduler (a
 * folder of schedules on the functions' clock) or the SQS emulator's delay → delivery →
 * capture relay. The functions' clock runs with the wall clock plus an offset that a test
 * moves forward, so a send due hours ahead is due at once when the test says so.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { uniquePrefix } from '../../support/local-aws.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const base = { from: 'Acme <news@acme.test>', subject: 'Later', text: 'Hello from the past.' };

/** The functions' clock: the wall clock moved forward by what tests add to `offset`. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const inAWhile = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

/** What the capture relay received of message `id` (by its X-Mailroom-ID header). */
function copiesOf(runtime: LocalRuntime, id: string) {
  return runtime
    .capture!.messages()
    .filter((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id));
}

describe('scheduled sends', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startPipeline({ clock });
  });
  afterAll(() => runtime?.stop());

  it('holds a message until its time, then sends it once, dated then', async () => {
    const sendAt = inAWhile(2 * HOUR);
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'ann@remote.test', send_at: sendAt });
    expect(sent).toEqual({ status: 202, body: { id: expect.any(String), status: 'scheduled', send_at: sendAt, rejected: [] } });
    const { id } = sent.body;

    // Everything due now is done, and the message still waits.
    await settled(runtime);
    expect(copiesOf(runtime, id)).toEqual([]);
    const waiting = (await call(runtime, 'GET', `/v1/messages/${id}`)).body;
    expect(waiting).toMatchObject({ status: 'scheduled', send_at: sendAt, attempts: 0, recipients: [{ status: 'scheduled' }] });
    expect(waiting.events.map((e: { type: string; detail: unknown }) => [e.type, e.detail])).toEqual([['scheduled', { send_at: sendAt }]]);

    // A minute short of its time: still nothing.
    offset += 2 * HOUR - 60_000;
    await settled(runtime);
    expect(copiesOf(runtime, id)).toEqual([]);

    offset += 60_000;
    const message = await waitForMessage(runtime, id, (m) => m.status === 'sent');
    await settled(runtime);
    const copies = copiesOf(runtime, id);
    expect(copies).toHaveLength(1);
    expect(new Date(copies[0]!.headers.find(([name]) => name.toLowerCase() === 'date')![1]).getTime()).toBe(
      Math.floor(Date.parse(sendAt) / 1000) * 1000,
    );
    expect(message).toMatchObject({ send_at: sendAt, attempts: 1 });
    expect(message.events.map((e: { type: string }) => e.type)).toEqual(['scheduled', 'sent']);
  });

  it('waits on the queue for a time within 15 minutes, and is not sent before it', async () => {
    const sendAt = inAWhile(3000);
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'bea@remote.test', send_at: sendAt });
    expect(sent.body).toMatchObject({ status: 'scheduled', send_at: sendAt });
    await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    await settled(runtime);
    const copies = copiesOf(runtime, sent.body.id);
    expect(copies).toHaveLength(1);
    expect(Date.parse(copies[0]!.receivedAt) + offset).toBeGreaterThanOrEqual(Date.parse(sendAt));
  });

  it('sends a time in the past at once', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'cy@remote.test', send_at: inAWhile(-DAY) });
    expect(sent.body).toEqual({ id: expect.any(String), status: 'queued', rejected: [] });
    await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    expect((await call(runtime, 'GET', `/v1/messages/${sent.body.id}`)).body).not.toHaveProperty('send_at');
  });

  it('refuses a time more than 30 days ahead, or one it cannot read, with a 400 naming send_at', async () => {
    for (const [sendAt, message] of [
      [inAWhile(31 * DAY), 'must be at most 30 days ahead'],
      ['next tuesday', 'must be an RFC 3339 date and time with a time offset, such as 2026-12-24T09:00:00Z'],
    ]) {
      const refused = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'dan@remote.test', send_at: sendAt });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'send_at', message }] });
    }
  });

  it('schedules each message of a batch by its own send_at', async () => {
    const later = inAWhile(5 * HOUR);
    const batch = await call(runtime, 'POST', '/v1/messages/batch', {
      messages: [
        { ...base, to: 'eve@remote.test' },
        { ...base, to: 'fay@remote.test', send_at: later },
        { ...base, to: 'gus@remote.test', send_at: inAWhile(40 * DAY) },
      ],
    });
    expect(batch.status).toBe(202);
    const [now, scheduled, refused] = batch.body.results;
    expect([now.status, scheduled.status, scheduled.send_at, refused.status_code]).toEqual(['queued', 'scheduled', later, 400]);
    await waitForMessage(runtime, now.id, (m) => m.status === 'sent');
    await settled(runtime);
    expect(copiesOf(runtime, scheduled.id)).toEqual([]);
    offset += 5 * HOUR;
    await waitForMessage(runtime, scheduled.id, (m) => m.status === 'sent');
    await settled(runtime);
    expect([copiesOf(runtime, now.id).length, copiesOf(runtime, scheduled.id).length]).toEqual([1, 1]);
  });

  it('never sends a canceled message: a cancel answers 200 canceled, and its time passes without a send', async () => {
    const far = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'hal@remote.test', send_at: inAWhile(HOUR) });
    const near = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'ida@remote.test', send_at: inAWhile(2000) });
    for (const { body } of [far, near]) {
      const canceled = await call(runtime, 'POST', `/v1/messages/${body.id}/cancel`);
      expect(canceled.status).toBe(200);
      expect(canceled.body).toMatchObject({ id: body.id, status: 'canceled', recipients: [{ status: 'canceled' }] });
      expect(canceled.body.events.map((e: { type: string }) => e.type)).toEqual(['scheduled', 'canceled']);
      // A second cancel answers the same.
      expect((await call(runtime, 'POST', `/v1/messages/${body.id}/cancel`)).body).toEqual(canceled.body);
    }
    offset += HOUR;
    // The near one's job comes out of the queue's delay, the far one's schedule is gone: both done, nothing sent.
    await settled(runtime);
    expect([...copiesOf(runtime, far.body.id), ...copiesOf(runtime, near.body.id)]).toEqual([]);
    expect((await call(runtime, 'GET', `/v1/messages/${near.body.id}`)).body).toMatchObject({ status: 'canceled', attempts: 0 });
  });

  it('refuses a cancel with 409 not_cancelable once delivery has taken the message, and after it was sent', async () => {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'jo@remote.test', send_at: inAWhile(HOUR) });
    // Delivery's claim, as the deliver function makes it when the job comes.
    const store = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
    const now = clock.now().getTime();
    expect(await store.claim(sent.body.id, 1, now, now + 60_000)).toMatchObject({ kind: 'claimed' });
    const taken = await call(runtime, 'POST', `/v1/messages/${sent.body.id}/cancel`);
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'not_cancelable' });

    const done = await call(runtime, 'POST', '/v1/messages', { ...base, to: 'kim@remote.test' });
    await waitForMessage(runtime, done.body.id, (m) => m.status === 'sent');
    const late = await call(runtime, 'POST', `/v1/messages/${done.body.id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('It is sent');
  });

  it('answers a cancel of an unknown message 404, and one without a key 401', async () => {
    const unknown = await call(runtime, 'POST', '/v1/messages/01UNKNOWN00000000000000000/cancel');
    expect(unknown.status).toBe(404);
    const noKey = await fetch(`${runtime.apiUrl}/v1/messages/01UNKNOWN00000000000000000/cancel`, { method: 'POST' });
    expect(noKey.status).toBe(401);
  });
});

describe('scheduled sends across a restart', () => {
  const dataDir = join(process.cwd(), '.tmp', `scheduled-restart-${process.pid}-${Date.now()}`);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sends what was scheduled before local mode stopped, once, after it starts again on the same data folder', async () => {
    // As `npm start` does: the runtime's own queue emulator (its queue goes with it), the data folder kept.
    const options = { dataDir, prefix: uniquePrefix(), sqsEndpoint: undefined, clock };
    const first = await startPipeline(options);
    let ids: string[];
    try {
      // One through the scheduler (its schedule in the data folder), one hidden on the queue that stops with local mode.
      const later = await call(first, 'POST', '/v1/messages', { ...base, to: 'lea@remote.test', send_at: inAWhile(3 * HOUR) });
      const soon = await call(first, 'POST', '/v1/messages', { ...base, to: 'max@remote.test', send_at: inAWhile(4000) });
      ids = [later.body.id, soon.body.id];
      expect([later.body.status, soon.body.status]).toEqual(['scheduled', 'scheduled']);
    } finally {
      await first.stop();
    }
    const [laterId, soonId] = ids as [string, string];

    const second = await startPipeline(options);
    try {
      expect(second.requeued).toBe(2);
      // The one due in seconds is sent when due, not before; the other still waits.
      const soon = await waitForMessage(second, soonId, (m) => m.status === 'sent');
      await settled(second);
      expect(Date.parse(copiesOf(second, soonId)[0]!.receivedAt) + offset).toBeGreaterThanOrEqual(Date.parse(soon.send_at));
      expect(copiesOf(second, laterId)).toEqual([]);
      offset += 3 * HOUR;
      await waitForMessage(second, laterId, (m) => m.status === 'sent');
      await settled(second);
      expect(ids.map((id) => copiesOf(second, id).length)).toEqual([1, 1]);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
