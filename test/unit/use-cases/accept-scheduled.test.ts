/**
 * Accepting mail with `send_at`, over in-memory ports: which messages wait on the queue's own
 * delay and which get a one-time schedule, what is stored and answered, and that nothing is
 * stored without its job handed over first.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ServiceUnavailableError, ValidationError } from '../../../lib/domain/errors.ts';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { CARRIED_BODIES_MAX_BYTES, packBodies, unpackBodies } from '../../../lib/domain/packed-bodies.ts';
import type { DeliveryScheduler } from '../../../lib/ports/delivery-scheduler.ts';
import { acceptBatch, acceptMessage, type AcceptDeps } from '../../../lib/use-cases/accept-message.ts';
import { getMessage } from '../../../lib/use-cases/get-message.ts';
import {
  clockAt,
  MemoryDeliveryScheduler,
  MemoryEventStore,
  MemoryMessageStore,
  MemorySendQueue,
  MemorySuppressionStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const NOW = '2026-12-06T10:00:00.000Z';
const T = Date.parse(NOW);
const MINUTE = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const body = { from: 'Shop <news@shop.example>', to: 'ann@example.org', subject: 'Sale', text: 'Soon' };

/** The first delivery job of message `id`, accepted at T (carrying its bodies), due at `notBefore` when given. */
function firstJob(id: string, notBefore?: number): DeliveryJob {
  return {
    v: 1,
    messageId: id,
    tenant: 'acme',
    attempt: 1,
    recipients: 1,
    ...(notBefore !== undefined && { notBefore }),
    enqueuedAt: T,
    bodies: expect.any(String) as string,
  };
}

function setup(options: { scheduler?: DeliveryScheduler | null } = {}) {
  let n = 0;
  const fakes = {
    messages: new MemoryMessageStore(),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    queue: new MemorySendQueue(),
    scheduler: new MemoryDeliveryScheduler(),
    clock: clockAt(NOW),
    log: memoryLog(),
  };
  const scheduler = options.scheduler === null ? undefined : (options.scheduler ?? fakes.scheduler);
  const deps: AcceptDeps = { ...fakes, ...(scheduler ? { scheduler } : {}), newId: () => `01MSG${String(++n).padStart(21, '0')}` };
  if (!scheduler) delete deps.scheduler;
  return { deps, ...fakes };
}

describe('acceptMessage with send_at: how the job waits', () => {
  it('queues a message without send_at at once, as before', async () => {
    const { deps, queue, scheduler } = setup();
    const answer = await acceptMessage(deps, 'acme', body);
    expect(answer).toEqual({ id: answer.id, status: 'queued', rejected: [] });
    expect(queue.enqueued).toEqual([{ job: firstJob(answer.id) }]);
    // It carries the message's small bodies, so that delivery need not read them back.
    expect(unpackBodies(Buffer.from(queue.enqueued[0]!.job.bodies!, 'base64'))).toEqual({ text: 'Soon' });
    expect(scheduler.schedules.size).toBe(0);
  });

  it('leaves bodies too large to carry out of the job: delivery reads them', async () => {
    const { deps, queue } = setup();
    const text = randomBytes(16 * 1024).toString('hex');
    expect(packBodies({ ...body, to: [], cc: [], bcc: [], replyTo: [], headers: {}, text })!.byteLength).toBeGreaterThan(
      CARRIED_BODIES_MAX_BYTES,
    );
    await acceptMessage(deps, 'acme', { ...body, text });
    expect(queue.enqueued[0]!.job).not.toHaveProperty('bodies');
  });

  it('sends a time that has come at once: past, or now', async () => {
    for (const sendAt of [at(T - DAY), NOW]) {
      const { deps, queue, scheduler, messages } = setup();
      const answer = await acceptMessage(deps, 'acme', { ...body, send_at: sendAt });
      expect(answer).toEqual({ id: answer.id, status: 'queued', rejected: [] });
      expect(queue.enqueued).toEqual([{ job: expect.not.objectContaining({ notBefore: expect.anything() }) }]);
      expect(scheduler.schedules.size).toBe(0);
      expect(messages.byId.get(answer.id)!.message).not.toHaveProperty('sendAt');
    }
  });

  it('puts a message due within 15 minutes on the queue with its delay, the time riding on the job', async () => {
    const { deps, queue, scheduler } = setup();
    const sendAt = T + 10 * MINUTE + 500;
    const answer = await acceptMessage(deps, 'acme', { ...body, send_at: at(sendAt) });
    expect(answer).toEqual({ id: answer.id, status: 'scheduled', send_at: at(sendAt), rejected: [] });
    expect(queue.enqueued).toEqual([{ job: firstJob(answer.id, sendAt), delaySeconds: 601 }]);
    expect(scheduler.schedules.size).toBe(0);
  });

  it('gives a message due later a one-time schedule named by its id, and nothing on the queue', async () => {
    const { deps, queue, scheduler } = setup();
    const sendAt = T + 29 * DAY;
    const answer = await acceptMessage(deps, 'acme', { ...body, send_at: '2027-01-04T11:00:00+01:00' });
    expect(answer).toEqual({ id: answer.id, status: 'scheduled', send_at: at(sendAt), rejected: [] });
    expect(queue.enqueued).toEqual([]);
    expect([...scheduler.schedules]).toEqual([[answer.id, { at: sendAt, job: firstJob(answer.id, sendAt) }]]);
  });

  it('accepts exactly 30 days ahead and refuses further with a 400 naming send_at, handing over and storing nothing', async () => {
    const { deps, queue, scheduler, messages } = setup();
    await expect(acceptMessage(deps, 'acme', { ...body, send_at: at(T + 30 * DAY) })).resolves.toMatchObject({ status: 'scheduled' });
    const refused = acceptMessage(deps, 'acme', { ...body, send_at: at(T + 30 * DAY + 1000) });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ field: 'send_at', message: 'must be at most 30 days ahead' }] });
    expect(messages.byId.size).toBe(1);
    expect(scheduler.schedules.size + queue.enqueued.length).toBe(1);
  });

  it('without a scheduler, lets a message due later wait on the queue in steps of its longest delay', async () => {
    const { deps, queue } = setup({ scheduler: null });
    const sendAt = T + 2 * DAY;
    const answer = await acceptMessage(deps, 'acme', { ...body, send_at: at(sendAt) });
    expect(answer.status).toBe('scheduled');
    expect(queue.enqueued).toEqual([{ job: expect.objectContaining({ notBefore: sendAt }), delaySeconds: 900 }]);
  });
});

describe('acceptMessage with send_at: what is stored', () => {
  it('stores the message scheduled, its recipients queued, with a scheduled event per recipient', async () => {
    const { deps, messages, events, suppressions } = setup();
    await suppressions.put({ tenant: 'acme', email: 'gone@example.org', reason: 'hard_bounce', createdAt: NOW });
    const sendAt = at(T + 2 * DAY);
    const answer = await acceptMessage(deps, 'acme', { ...body, to: ['ann@example.org', 'gone@example.org'], send_at: sendAt });
    expect(answer.rejected).toEqual([{ email: 'gone@example.org', reason: 'suppressed' }]);
    const stored = messages.byId.get(answer.id)!;
    expect(stored.message).toMatchObject({ status: 'scheduled', sendAt, attempts: 0 });
    expect(stored.recipients.map((r) => [r.email, r.status])).toEqual([
      ['ann@example.org', 'queued'],
      ['gone@example.org', 'rejected'],
    ]);
    expect(events.events.map((e) => [e.type, e.recipient, e.attempt, e.detail])).toEqual([
      ['scheduled', 'ann@example.org', 0, { sendAt }],
      ['rejected', 'gone@example.org', 0, { reason: 'suppressed (hard_bounce)' }],
    ]);
  });

  it('makes the schedule before it stores the message', async () => {
    const { deps, messages } = setup();
    const seen: number[] = [];
    deps.scheduler = {
      schedule: async () => void seen.push(messages.byId.size),
      cancel: async () => undefined,
    };
    await acceptMessage(deps, 'acme', { ...body, send_at: at(T + DAY) });
    expect(seen).toEqual([0]);
    expect(messages.byId.size).toBe(1);
  });

  it('stores nothing and answers 503 when the schedule cannot be made', async () => {
    const { deps, scheduler, messages, events } = setup();
    scheduler.failing = true;
    await expect(acceptMessage(deps, 'acme', { ...body, send_at: at(T + DAY) })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(messages.byId.size).toBe(0);
    expect(events.events).toEqual([]);
  });

  it('makes one schedule for every try of an idempotent request (the name comes from the id)', async () => {
    const { deps, scheduler, messages } = setup();
    const ids = () => '01IDEMPOTENT0000000000000A';
    const first = await acceptMessage(deps, 'acme', { ...body, send_at: at(T + DAY) }, ids);
    deps.clock = clockAt(T + 5000);
    const again = await acceptMessage(deps, 'acme', { ...body, send_at: at(T + DAY) }, ids);
    expect(again).toEqual(first);
    expect([...scheduler.schedules.keys()]).toEqual([first.id]);
    expect(scheduler.schedules.get(first.id)!.job.enqueuedAt).toBe(T);
    expect(messages.byId.size).toBe(1);
  });
});

describe('acceptBatch with send_at', () => {
  it('plans each message on its own and answers each with its status', async () => {
    const { deps, queue, scheduler } = setup();
    const { results } = await acceptBatch(deps, 'acme', {
      messages: [
        body,
        { ...body, send_at: at(T + 5 * MINUTE) },
        { ...body, send_at: at(T + 5 * DAY) },
        { ...body, send_at: at(T + 40 * DAY) },
        { ...body, send_at: 'tomorrow' },
      ],
    });
    expect(results.map((r) => [r.status_code, 'status' in r ? r.status : r.error.details])).toEqual([
      [202, 'queued'],
      [202, 'scheduled'],
      [202, 'scheduled'],
      [400, [{ field: 'send_at', message: 'must be at most 30 days ahead' }]],
      [400, [{ field: 'send_at', message: 'must be an RFC 3339 date and time with a time offset, such as 2026-12-24T09:00:00Z' }]],
    ]);
    const idOf = (i: number) => (results[i] as { id: string }).id;
    expect(queue.enqueued.map((e): [string, number | undefined] => [e.job.messageId, e.delaySeconds])).toEqual(
      expect.arrayContaining([
        [idOf(0), undefined],
        [idOf(1), 300],
      ]),
    );
    expect(queue.enqueued).toHaveLength(2);
    expect([...scheduler.schedules.keys()]).toEqual([idOf(2)]);
    expect((results[2] as { send_at?: string }).send_at).toBe(at(T + 5 * DAY));
  });
});

/** The job a schedule holds is the one delivery expects: it parses, and it does not run before its time. */
describe('the scheduled job', () => {
  it('carries the time as notBefore and the acceptance time as enqueuedAt', async () => {
    const { deps, scheduler } = setup();
    const answer = await acceptMessage(deps, 'acme', { ...body, send_at: at(T + DAY) });
    const { job } = scheduler.schedules.get(answer.id)!;
    expect(job).toEqual(firstJob(answer.id, T + DAY));
  });
});

describe('getMessage of a scheduled message', () => {
  it('reads scheduled with its send_at (recipients waiting too) until the time, then queued', async () => {
    const { deps } = setup();
    const sendAt = at(T + DAY);
    const { id } = await acceptMessage(deps, 'acme', { ...body, send_at: sendAt });
    const before = await getMessage(deps, 'acme', id);
    expect(before).toMatchObject({ status: 'scheduled', send_at: sendAt, recipients: [{ email: 'ann@example.org', status: 'scheduled' }] });
    expect(before.events.map((e) => [e.type, e.detail])).toEqual([['scheduled', { send_at: sendAt }]]);
    deps.clock = clockAt(T + DAY);
    expect(await getMessage(deps, 'acme', id)).toMatchObject({
      status: 'queued',
      send_at: sendAt,
      recipients: [{ email: 'ann@example.org', status: 'queued' }],
    });
  });
});
