/**
 * deliverMessage over in-memory ports: what each outcome of a delivery job writes (message
 * record, events, suppressions, soft-bounce history), what it puts back on the queue and with
 * which delay, and when the relay is called at all.
 */
import { describe, expect, it, vi } from 'vitest';
import { UNSTORED_JOB_MAX_AGE_MS, type DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import type { RelayAnswer, StoredMessage } from '../../../lib/domain/message.ts';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../../../lib/domain/soft-bounce-policy.ts';
import { ByteBudget } from '../../../lib/use-cases/byte-budget.ts';
import { deliverMessage, type DeliverDeps } from '../../../lib/use-cases/deliver-message.ts';
import { messageHistory } from '../../../lib/domain/carried-events.ts';
import {
  ACCEPTED,
  MemoryAttachmentStore,
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemoryPacer,
  MemoryRawMessageStore,
  MemoryRelay,
  MemorySendQueue,
  MemorySoftBounceStore,
  MemorySuppressionStore,
  MemoryUnsubscribeStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const ID = '01JDELIVERTEST00000000000A';
const CREATED = '2026-11-28T09:59:00.000Z';
const NOW = '2026-11-28T10:00:00.000Z';
const T = Date.parse(NOW);
const LEASE_MS = 60_000;
const RETRY = { baseSeconds: 60, capSeconds: 3600, maxAgeSeconds: 86_400 };

const GREYLISTED: RelayAnswer = { code: 451, enhanced: '4.7.1', response: '451 4.7.1 Greylisted, try again later' };
const UNREACHABLE: RelayAnswer = { response: 'connect ECONNREFUSED 192.0.2.1:25' };
const NO_SUCH_USER: RelayAnswer = { code: 550, enhanced: '5.1.1', response: '550 5.1.1 Recipient address rejected: User unknown' };
const MAILBOX_FULL: RelayAnswer = { code: 552, enhanced: '5.2.2', response: '552 5.2.2 Mailbox full' };

/** A message accepted at CREATED and not attempted yet, to `to` (all pending). */
function queuedMessage(to: string[] = ['ann@example.org'], overrides: Partial<StoredMessage['message']> = {}): StoredMessage {
  return {
    message: {
      id: ID,
      tenant: 'acme',
      createdAt: CREATED,
      updatedAt: CREATED,
      messageIdHeader: `<${ID.toLowerCase()}@shop.example>`,
      envelopeFrom: 'news@shop.example',
      content: { from: 'news@shop.example', to, cc: [], bcc: [], replyTo: [], subject: 'Hello', text: 'Hi', headers: {} },
      tags: { kind: 'welcome' },
      metadata: {},
      status: 'queued',
      attempts: 0,
      ...overrides,
    },
    recipients: to.map((email) => ({
      messageId: ID,
      email,
      kind: 'to' as const,
      status: 'queued' as const,
      attempts: 0,
      updatedAt: CREATED,
    })),
  };
}

/** The first attempt's job for `stored`. */
function jobFor(stored: StoredMessage, overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  return {
    v: 1,
    messageId: stored.message.id,
    tenant: stored.message.tenant,
    attempt: 1,
    recipients: stored.recipients.length,
    ...overrides,
  };
}

/** deliverMessage's dependencies over fakes, the clock at NOW, the relay answering `answers[email]` (250 otherwise). */
function setup(
  options: { messages?: StoredMessage[]; answers?: Record<string, RelayAnswer>; pacer?: MemoryPacer; attachmentMemory?: ByteBudget } = {},
) {
  const fakes = {
    messages: new MemoryMessageStore(...(options.messages ?? [])),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    unsubscribes: new MemoryUnsubscribeStore(),
    queue: new MemorySendQueue(),
    relay: new MemoryRelay((email) => options.answers?.[email] ?? ACCEPTED),
    softBounces: new MemorySoftBounceStore(),
    rawMessages: new MemoryRawMessageStore(),
    attachments: new MemoryAttachmentStore(),
    clock: clockAt(NOW),
    log: memoryLog(),
  };
  const deps: DeliverDeps = {
    ...fakes,
    retry: RETRY,
    leaseMs: LEASE_MS,
    maxDelaySeconds: 900,
    softBouncePolicy: DEFAULT_SOFT_BOUNCE_POLICY,
    ...(options.pacer && { pacer: options.pacer }),
    ...(options.attachmentMemory && { attachmentMemory: options.attachmentMemory }),
  };
  const stored = () => fakes.messages.byId.get(ID)!;
  /** The message's events as its history shows them: those stored and those its record carries (carried-events.ts). */
  const history = () => messageHistory(fakes.messages.byId.get(ID), fakes.events.events);
  return { deps, ...fakes, stored, history };
}

describe('deliverMessage: a job that does not get the claim', () => {
  it('dead-letters the job of an unknown message without relaying anything', async () => {
    const { deps, queue, relay, log } = setup();
    const job = jobFor(queuedMessage());
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('dead-lettered');
    expect(queue.deadLettered).toEqual([{ job, reason: 'message not found' }]);
    expect(queue.enqueued).toEqual([]);
    expect(relay.sent).toEqual([]);
    expect(log.lines).toContainEqual({ level: 'warn', message: 'job for unknown message dead-lettered', extra: { messageId: ID } });
  });

  it('sends a first job whose message is not stored yet back after about its age (1 s to a minute)', async () => {
    const { deps, queue, relay } = setup();
    const fresh = jobFor(queuedMessage(), { enqueuedAt: T - 200 });
    const older = jobFor(queuedMessage(), { enqueuedAt: T - 30_500 });
    const oldest = jobFor(queuedMessage(), { enqueuedAt: T - 4 * 60_000 });
    for (const job of [fresh, older, oldest]) expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([
      { job: fresh, delaySeconds: 1 },
      { job: older, delaySeconds: 31 },
      { job: oldest, delaySeconds: 60 },
    ]);
    expect(queue.deadLettered).toEqual([]);
    expect(relay.sent).toEqual([]);
  });

  it('has a young first job look once more a moment later, and deliver a message stored meanwhile without going round the queue', async () => {
    const { deps, queue, relay, messages, stored } = setup();
    const message = queuedMessage();
    const job = jobFor(message, { enqueuedAt: T - 20 });
    const claims: number[] = [];
    const claim = messages.claim.bind(messages);
    messages.claim = (...args) => {
      claims.push(args[2]);
      // The message is stored right after the first look.
      if (claims.length === 1) void messages.create(message);
      return claims.length === 1 ? Promise.resolve({ kind: 'missing' }) : claim(...args);
    };
    expect(await deliverMessage({ ...deps, earlyJobWaitMs: 10 }, job, { receiveCount: 1 })).toBe('delivered-attempt');
    expect(claims).toHaveLength(2);
    expect(queue.enqueued).toEqual([]);
    expect(relay.sent).toHaveLength(1);
    expect(stored().message.status).toBe('sent');
  });

  it('drops a first job whose message is still not stored five minutes after it was enqueued, and says so', async () => {
    const { deps, queue, relay, log } = setup();
    const job = jobFor(queuedMessage(), { enqueuedAt: T - UNSTORED_JOB_MAX_AGE_MS });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('dropped');
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toEqual([]);
    expect(relay.sent).toEqual([]);
    expect(log.lines).toContainEqual({
      level: 'warn',
      message: 'job dropped: its message was never stored',
      extra: { messageId: ID, tenant: 'acme', ageMs: UNSTORED_JOB_MAX_AGE_MS },
    });
  });

  it('comes back once the lease of the worker holding the attempt may have run out', async () => {
    const held = queuedMessage(undefined, { attempts: 1, leaseUntil: T + 30_000 });
    const { deps, queue, relay, events, stored } = setup({ messages: [held] });
    const job = jobFor(held);
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([{ job, delaySeconds: LEASE_MS / 1000 }]);
    expect(relay.sent).toEqual([]);
    expect(events.events).toEqual([]);
    expect(stored()).toEqual(held);
  });

  it('waits for an earlier attempt that has not finished', async () => {
    const earlier = queuedMessage(undefined, { attempts: 1, status: 'deferred' });
    const { deps, queue, relay } = setup({ messages: [earlier] });
    const job = jobFor(earlier, { attempt: 3 });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([{ job, delaySeconds: 60 }]);
    expect(relay.sent).toEqual([]);
  });

  it('dead-letters a job whose tenant is not the message’s, relaying nothing', async () => {
    const { deps, queue, relay, events } = setup({ messages: [queuedMessage()] });
    const job = jobFor(queuedMessage(), { tenant: 'intruder' });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('dead-lettered');
    expect(queue.deadLettered).toEqual([{ job, reason: 'tenant mismatch' }]);
    expect(relay.sent).toEqual([]);
    expect(events.events).toEqual([]);
  });

  it('sends a job that is not due yet back through the queue without claiming it', async () => {
    const { deps, queue, relay, stored } = setup({ messages: [queuedMessage()] });
    const soon = jobFor(queuedMessage(), { notBefore: T + 120_000 });
    expect(await deliverMessage(deps, soon, { receiveCount: 1 })).toBe('postponed');
    const later = jobFor(queuedMessage(), { notBefore: T + 3_600_000 });
    expect(await deliverMessage(deps, later, { receiveCount: 1 })).toBe('postponed');
    // Beyond the queue's longest delay, the job hops: 900 s, then again.
    expect(queue.enqueued).toEqual([
      { job: soon, delaySeconds: 120 },
      { job: later, delaySeconds: 900 },
    ]);
    expect(relay.sent).toEqual([]);
    expect(stored().message.attempts).toBe(0);
  });
});

describe('deliverMessage: a duplicate job', () => {
  const finished = (status: 'sent' | 'deferred'): StoredMessage => {
    const base = queuedMessage(['ann@example.org', 'bob@example.org'], { attempts: 1, status });
    return {
      ...base,
      recipients: base.recipients.map((r, i) => ({ ...r, attempts: 1, status: i === 0 ? 'sent' : status, updatedAt: NOW })),
    };
  };

  it('does nothing for an attempt that finished, on its first delivery', async () => {
    const { deps, queue, relay, events, stored } = setup({ messages: [finished('deferred')] });
    expect(await deliverMessage(deps, jobFor(finished('deferred')), { receiveCount: 1 })).toBe('duplicate');
    expect(queue.enqueued).toEqual([]);
    expect(relay.sent).toEqual([]);
    expect(events.events).toEqual([]);
    expect(stored()).toEqual(finished('deferred'));
  });

  it('queues the retry again for recipients still deferred when the queue hands the job out again', async () => {
    const { deps, queue, relay } = setup({ messages: [finished('deferred')] });
    expect(await deliverMessage(deps, jobFor(finished('deferred')), { receiveCount: 2 })).toBe('duplicate');
    expect(queue.enqueued).toEqual([
      { job: { v: 1, messageId: ID, tenant: 'acme', attempt: 2, notBefore: T + 60_000, recipients: 1 }, delaySeconds: 60 },
    ]);
    expect(relay.sent).toEqual([]);
  });

  it('queues nothing again when no recipient waits, or a later attempt has begun', async () => {
    const done = setup({ messages: [finished('sent')] });
    expect(await deliverMessage(done.deps, jobFor(finished('sent')), { receiveCount: 2 })).toBe('duplicate');
    expect(done.queue.enqueued).toEqual([]);

    const moved = setup({ messages: [{ ...finished('deferred'), message: { ...finished('deferred').message, attempts: 2 } }] });
    expect(await deliverMessage(moved.deps, jobFor(finished('deferred')), { receiveCount: 2 })).toBe('duplicate');
    expect(moved.queue.enqueued).toEqual([]);
  });
});

describe('deliverMessage: pacing', () => {
  it('gives the claim back and comes back in 1 to 5 s when the relay has no room', async () => {
    const pacer = new MemoryPacer();
    pacer.grants = false;
    const { deps, queue, relay, events, stored } = setup({ messages: [queuedMessage(['ann@example.org', 'bob@example.org'])], pacer });
    const release = vi.spyOn(deps.messages, 'release');
    const job = jobFor(queuedMessage(), { lane: 'bulk', recipients: 2 });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(pacer.calls).toEqual([['bulk', 2, 5000]]);
    expect(release).toHaveBeenCalledWith(ID, 1, T + LEASE_MS);
    expect(stored().message.attempts).toBe(0);
    expect(stored().message.leaseUntil).toBeUndefined();
    expect(queue.enqueued).toHaveLength(1);
    expect(queue.enqueued[0]!.job).toEqual(job);
    expect(queue.enqueued[0]!.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(queue.enqueued[0]!.delaySeconds).toBeLessThanOrEqual(5);
    expect(relay.sent).toEqual([]);
    expect(events.events).toEqual([]);

    // Room again: the same job takes the same attempt and sends.
    pacer.grants = true;
    expect(await deliverMessage(deps, job, { receiveCount: 2 })).toBe('delivered-attempt');
    expect(relay.sent).toHaveLength(1);
    expect(stored().message).toMatchObject({ attempts: 1, status: 'sent' });
  });

  it('asks only for the recipients it will relay to, on the transactional lane, within maxPaceWaitMs', async () => {
    const pacer = new MemoryPacer();
    const { deps, suppressions } = setup({ messages: [queuedMessage(['ann@example.org', 'bob@example.org'])], pacer });
    await suppressions.put({ tenant: 'acme', email: 'bob@example.org', reason: 'manual', createdAt: CREATED });
    expect(await deliverMessage({ ...deps, maxPaceWaitMs: 250 }, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(pacer.calls).toEqual([['transactional', 1, 250]]);
  });
});

describe('deliverMessage: an attempt that goes through', () => {
  it('relays the message to its pending recipients and records each as sent', async () => {
    const { deps, relay, queue, suppressions, stored, log, history } = setup({
      messages: [queuedMessage(['ann@example.org', 'bob@example.org'])],
    });
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(relay.sent).toEqual([
      {
        id: ID,
        tenant: 'acme',
        messageIdHeader: `<${ID.toLowerCase()}@shop.example>`,
        date: new Date(CREATED),
        envelope: { from: 'news@shop.example', to: ['ann@example.org', 'bob@example.org'] },
        content: queuedMessage(['ann@example.org', 'bob@example.org']).message.content,
        tags: { kind: 'welcome' },
      },
    ]);
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1, updatedAt: NOW });
    expect(stored().message.leaseUntil).toBeUndefined();
    expect(stored().recipients.map((r) => [r.email, r.status, r.attempts, r.lastAnswer])).toEqual([
      ['ann@example.org', 'sent', 1, ACCEPTED],
      ['bob@example.org', 'sent', 1, ACCEPTED],
    ]);
    expect(history()).toEqual([
      expect.objectContaining({
        eventId: `${ID}/sent/ann@example.org/1`,
        type: 'sent',
        at: NOW,
        detail: { relay: 'smtp', answer: ACCEPTED },
      }),
      expect.objectContaining({ eventId: `${ID}/sent/bob@example.org/1`, type: 'sent', detail: { relay: 'smtp', answer: ACCEPTED } }),
    ]);
    expect(history()[0]).toMatchObject({ tenant: 'acme', tags: { kind: 'welcome' }, fromDomain: 'shop.example', attempt: 1 });
    expect(queue.enqueued).toEqual([]);
    expect(suppressions.entries.size).toBe(0);
    expect(log.lines).toContainEqual({
      level: 'info',
      message: 'delivery attempt finished',
      extra: { messageId: ID, attempt: 1, relay: 'smtp', sent: 2, deferred: 0, bounced: 0 },
    });
  });

  it('rejects recipients suppressed or unsubscribed since acceptance, and relays to none of them', async () => {
    const list = queuedMessage(['ann@example.org', 'bob@example.org'], { list: 'list-1', campaign: 'camp-1' });
    const { deps, relay, suppressions, unsubscribes, stored, history } = setup({ messages: [list] });
    await suppressions.put({ tenant: 'acme', email: 'ann@example.org', reason: 'complaint', createdAt: CREATED });
    await unsubscribes.put({ tenant: 'acme', email: 'bob@example.org', listId: 'list-1', createdAt: CREATED });
    expect(await deliverMessage(deps, jobFor(list), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(relay.sent).toEqual([]);
    expect(history().map((e) => [e.type, e.recipient, e.detail, e.list, e.campaign])).toEqual([
      ['rejected', 'ann@example.org', { reason: 'suppressed (complaint)' }, 'list-1', 'camp-1'],
      ['rejected', 'bob@example.org', { reason: 'unsubscribed' }, 'list-1', 'camp-1'],
    ]);
    expect(stored().message.status).toBe('rejected');
    expect(stored().recipients.map((r) => [r.status, r.attempts])).toEqual([
      ['rejected', 0],
      ['rejected', 0],
    ]);
  });

  it('relays the stored bytes of a message submitted over SMTP', async () => {
    const raw = Buffer.from('Subject: raw\r\n\r\nbody\r\n');
    const submitted = queuedMessage(undefined, { raw: { key: `smtp/${ID}.eml`, bytes: raw.length } });
    const { deps, relay, rawMessages } = setup({ messages: [submitted] });
    rawMessages.objects.set(`smtp/${ID}.eml`, raw);
    expect(await deliverMessage(deps, jobFor(submitted), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(relay.sent[0]?.raw).toEqual(raw);
  });

  it('fails a message whose stored bytes are gone: marked failed, a failed event, the job dead-lettered', async () => {
    const submitted = queuedMessage(undefined, { raw: { key: `smtp/${ID}.eml`, bytes: 10 } });
    const { deps, relay, queue, stored, history } = setup({ messages: [submitted] });
    const job = jobFor(submitted);
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('dead-lettered');
    expect(relay.sent).toEqual([]);
    expect(stored().message.status).toBe('failed');
    expect(stored().recipients[0]?.status).toBe('failed');
    expect(history().map((e) => [e.type, e.recipient, e.detail.reason])).toEqual([
      ['failed', 'ann@example.org', `message ${ID} cannot be sent: its stored bytes are gone`],
    ]);
    expect(queue.deadLettered).toEqual([{ job, reason: `message ${ID} cannot be sent: its stored bytes are gone` }]);
  });
});

describe('deliverMessage: deferrals', () => {
  it('defers a recipient the server greylists and queues attempt 2 after the first backoff', async () => {
    const { deps, queue, suppressions, stored, history } = setup({
      messages: [queuedMessage(['ann@example.org', 'bob@example.org'])],
      answers: { 'bob@example.org': GREYLISTED },
    });
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(stored().message).toMatchObject({ status: 'deferred', attempts: 1 });
    expect(stored().recipients.map((r) => [r.email, r.status, r.lastAnswer])).toEqual([
      ['ann@example.org', 'sent', ACCEPTED],
      ['bob@example.org', 'deferred', GREYLISTED],
    ]);
    expect(history().map((e) => e.type)).toEqual(['sent', 'deferred']);
    expect(history()[1]?.detail).toEqual({
      relay: 'smtp',
      answer: GREYLISTED,
      retryAt: new Date(T + 60_000).toISOString(),
      category: 'rate_limited',
      explanation: expect.stringContaining('greylisting'),
      diagnostic: GREYLISTED.response,
    });
    // One job for the one recipient still waiting, visible when it is due.
    expect(queue.enqueued).toEqual([
      { job: { v: 1, messageId: ID, tenant: 'acme', attempt: 2, notBefore: T + 60_000, recipients: 1 }, delaySeconds: 60 },
    ]);
    expect(suppressions.entries.size).toBe(0);
  });

  it('defers everyone when the relay cannot be reached, backing off longer with each attempt', async () => {
    const third = queuedMessage(['ann@example.org', 'bob@example.org'], { attempts: 2, status: 'deferred', campaign: 'camp-1' });
    const { deps, queue, stored, history } = setup({
      messages: [third],
      answers: { 'ann@example.org': UNREACHABLE, 'bob@example.org': UNREACHABLE },
    });
    expect(await deliverMessage(deps, jobFor(third, { attempt: 3 }), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(stored().message).toMatchObject({ status: 'deferred', attempts: 3 });
    expect(stored().recipients.map((r) => [r.status, r.attempts, r.lastAnswer])).toEqual([
      ['deferred', 1, UNREACHABLE],
      ['deferred', 1, UNREACHABLE],
    ]);
    expect(history().map((e) => e.recipient)).toEqual(['ann@example.org', 'bob@example.org']);
    expect(history()[0]).toMatchObject({
      type: 'deferred',
      attempt: 3,
      detail: { answer: UNREACHABLE, category: 'relay_unreachable', retryAt: new Date(T + 240_000).toISOString() },
    });
    // 60 s · 2² after the third attempt, for both recipients; campaign mail stays on the bulk lane.
    expect(queue.enqueued).toEqual([
      {
        job: { v: 1, messageId: ID, tenant: 'acme', attempt: 4, notBefore: T + 240_000, recipients: 2, lane: 'bulk' },
        delaySeconds: 240,
      },
    ]);
  });

  it('queues a backoff longer than the queue allows with its longest delay; the job then hops until due', async () => {
    const sixth = queuedMessage(['ann@example.org'], { attempts: 5, status: 'deferred' });
    const { deps, queue, relay, clock } = setup({ messages: [sixth], answers: { 'ann@example.org': GREYLISTED } });
    expect(await deliverMessage(deps, jobFor(sixth, { attempt: 6 }), { receiveCount: 1 })).toBe('delivered-attempt');
    const retry: DeliveryJob = { v: 1, messageId: ID, tenant: 'acme', attempt: 7, notBefore: T + 1_920_000, recipients: 1 };
    expect(queue.enqueued).toEqual([{ job: retry, delaySeconds: 900 }]);

    clock.advance(900_000);
    expect(await deliverMessage(deps, retry, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued[1]).toEqual({ job: retry, delaySeconds: 900 });
    expect(relay.sent).toHaveLength(1);
  });

  it('turns a deferral past the retry deadline into a soft bounce, remembered but not yet suppressing', async () => {
    const old = queuedMessage(['ann@example.org'], { createdAt: '2026-11-27T10:00:30.000Z', attempts: 9, status: 'deferred' });
    const { deps, queue, suppressions, softBounces, stored, history } = setup({
      messages: [old],
      answers: { 'ann@example.org': GREYLISTED },
    });
    expect(await deliverMessage(deps, jobFor(old, { attempt: 10 }), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(stored().message.status).toBe('bounced');
    expect(stored().recipients[0]).toMatchObject({ status: 'bounced', lastAnswer: GREYLISTED });
    expect(history()[0]).toMatchObject({
      type: 'bounced',
      detail: { bounceType: 'soft', reason: 'retry deadline passed', category: 'rate_limited', answer: GREYLISTED },
    });
    expect(queue.enqueued).toEqual([]);
    expect(softBounces.bounces.get('acme|ann@example.org')).toEqual([{ id: `${ID}/bounced/ann@example.org/10`, at: NOW }]);
    expect(suppressions.entries.size).toBe(0);
  });
});

describe('deliverMessage: bounces', () => {
  it('bounces an unknown mailbox and suppresses the address for the tenant', async () => {
    const { deps, queue, suppressions, stored, history } = setup({
      messages: [queuedMessage(['ann@example.org', 'bob@example.org'])],
      answers: { 'bob@example.org': NO_SUCH_USER },
    });
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    // The best outcome reached wins the message's status.
    expect(stored().message.status).toBe('sent');
    expect(stored().recipients[1]).toMatchObject({ status: 'bounced', attempts: 1, lastAnswer: NO_SUCH_USER });
    expect(history()[1]).toMatchObject({
      type: 'bounced',
      recipient: 'bob@example.org',
      detail: { relay: 'smtp', answer: NO_SUCH_USER, bounceType: 'hard', category: 'no_such_mailbox', diagnostic: NO_SUCH_USER.response },
    });
    expect([...suppressions.entries.values()]).toEqual([
      {
        tenant: 'acme',
        email: 'bob@example.org',
        reason: 'hard_bounce',
        sourceMessageId: ID,
        detail: NO_SUCH_USER.response,
        createdAt: NOW,
      },
    ]);
    expect(queue.enqueued).toEqual([]);
  });

  it('suppresses after the fifth soft bounce within the window, not before', async () => {
    const { deps, suppressions, softBounces } = setup({ messages: [queuedMessage()], answers: { 'ann@example.org': MAILBOX_FULL } });
    const earlier = ['2026-11-26T10:00:00.000Z', '2026-11-27T10:00:00.000Z', '2026-11-27T22:00:00.000Z', '2026-11-28T08:00:00.000Z'];
    softBounces.bounces.set(
      'acme|ann@example.org',
      earlier.map((at, i) => ({ id: `earlier-${i}`, at })),
    );
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(softBounces.bounces.get('acme|ann@example.org')).toHaveLength(5);
    expect([...suppressions.entries.values()]).toEqual([
      expect.objectContaining({
        email: 'ann@example.org',
        reason: 'hard_bounce',
        sourceMessageId: ID,
        detail: expect.stringMatching(/^soft-bounced 5 times within 72 hours; last: 552 5\.2\.2 Mailbox full/),
      }),
    ]);
  });
});

describe('deliverMessage: recording the attempt', () => {
  it('records the sent events in the write that ends the attempt, not as events of their own', async () => {
    const { deps, events, stored, history } = setup({ messages: [queuedMessage()] });
    const append = vi.spyOn(deps.events, 'append');
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(append.mock.calls.flatMap(([appended]) => appended)).toEqual([]);
    expect(events.events).toEqual([]);
    expect(stored().recipients[0]?.carries).toEqual({ sent: { at: NOW, attempt: 1, relay: 'smtp', answer: ACCEPTED } });
    expect(history().map((e) => [e.eventId, e.type, e.at])).toEqual([[`${ID}/sent/ann@example.org/1`, 'sent', NOW]]);
  });

  it('stores no sent event when the write that ends the attempt failed but was made all the same', async () => {
    const { deps, events, stored, history } = setup({ messages: [queuedMessage()] });
    const complete = deps.messages.complete.bind(deps.messages);
    // The write is made, and its answer lost (a timeout): the error says nothing of what happened.
    vi.spyOn(deps.messages, 'complete').mockImplementationOnce(async (...args) => {
      await complete(...args);
      throw new Error('socket hang up');
    });
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1 });
    // Stored as well, the sent event would be counted twice: once from each table's stream.
    expect(events.events).toEqual([]);
    expect(history().map((e) => e.type)).toEqual(['sent']);
  });

  it('tries a failed write again while the lease holds', async () => {
    const { deps, stored, log, history } = setup({ messages: [queuedMessage()] });
    const complete = deps.messages.complete.bind(deps.messages);
    vi.spyOn(deps.messages, 'complete')
      .mockRejectedValueOnce(new Error('ProvisionedThroughputExceededException'))
      .mockImplementation(complete);
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1 });
    expect(history().map((e) => e.type)).toEqual(['sent']);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.extra)).toEqual([
      { error: 'Error: ProvisionedThroughputExceededException', tries: 1 },
    ]);
  });

  it('gives up when most of the lease is gone: the job fails and comes back, the attempt still held', async () => {
    const { deps, relay, queue, stored, clock, history } = setup({
      messages: [queuedMessage()],
      answers: { 'ann@example.org': GREYLISTED },
    });
    // The relay took most of the lease, then the write fails.
    const send = relay.send.bind(relay);
    vi.spyOn(relay, 'send').mockImplementation(async (mail) => {
      clock.advance(50_000);
      return send(mail);
    });
    const failure = new Error('ProvisionedThroughputExceededException');
    const complete = vi.spyOn(deps.messages, 'complete').mockRejectedValue(failure);
    await expect(deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).rejects.toBe(failure);
    // Not tried again: a pause would outlast three quarters of the lease.
    expect(complete).toHaveBeenCalledTimes(1);
    expect(relay.sent).toHaveLength(1);
    // Events are written first and are idempotent; the record and the retry job are not written.
    expect(history().map((e) => e.type)).toEqual(['deferred']);
    expect(stored().message).toMatchObject({ status: 'queued', attempts: 1, leaseUntil: T + LEASE_MS });
    expect(queue.enqueued).toEqual([]);

    // Once the lease ran out, the redelivered job takes the attempt over. The relay's answer is
    // in the attempt's events, so it is recorded from them and the message is not relayed again.
    clock.advance(LEASE_MS);
    complete.mockRestore();
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 2 })).toBe('delivered-attempt');
    expect(relay.sent).toHaveLength(1);
    expect(stored().message).toMatchObject({ status: 'deferred', attempts: 1 });
    expect(stored().message.leaseUntil).toBeUndefined();
    expect(stored().recipients[0]).toMatchObject({ status: 'deferred', attempts: 1, lastAnswer: GREYLISTED });
    expect(queue.jobs.map((j) => j.attempt)).toEqual([2]);
  });

  it('records a relayed send from its events when the write that records it failed past the lease: relayed once', async () => {
    const to = ['ann@example.org', 'bob@example.org', 'cy@example.org'];
    const { deps, relay, events, stored, clock, suppressions, history } = setup({
      messages: [queuedMessage(to)],
      answers: { 'bob@example.org': NO_SUCH_USER },
    });
    const append = vi.spyOn(deps.events, 'append');
    const failure = new Error('ProvisionedThroughputExceededException');
    const complete = vi.spyOn(deps.messages, 'complete').mockImplementation(async () => {
      clock.advance(LEASE_MS);
      throw failure;
    });
    await expect(deliverMessage(deps, jobFor(queuedMessage(to)), { receiveCount: 1 })).rejects.toBe(failure);
    expect(relay.sent.map((m) => m.envelope.to)).toEqual([to]);
    expect(complete).toHaveBeenCalledTimes(1);

    // Only ann's and bob's answers reached the event log before the worker was lost: cy is relayed again.
    const cy = events.events.findIndex((e) => e.recipient === 'cy@example.org');
    events.events.splice(cy, 1);
    complete.mockRestore();
    clock.advance(1000);
    expect(await deliverMessage(deps, jobFor(queuedMessage(to)), { receiveCount: 2 })).toBe('delivered-attempt');
    expect(relay.sent.map((m) => m.envelope.to)).toEqual([to, ['cy@example.org']]);
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1 });
    expect(stored().recipients.map((r) => [r.email, r.status, r.attempts])).toEqual([
      ['ann@example.org', 'sent', 1],
      ['bob@example.org', 'bounced', 1],
      ['cy@example.org', 'sent', 1],
    ]);
    expect(
      history()
        .map((e) => `${e.type} ${e.recipient}`)
        .sort(),
    ).toEqual(['bounced bob@example.org', 'sent ann@example.org', 'sent cy@example.org']);
    expect([...suppressions.entries.keys()]).toEqual(['acme|bob@example.org']);
    // The lease holder wrote bob's bounce, then, once the write that would have carried ann's and
    // cy's sent events failed, those events too: fresh (written without asking). The taker-over's
    // are not fresh, so the first ones stand.
    expect(append.mock.calls.map(([appended, options]) => [appended.map((e) => `${e.type} ${e.recipient}`), options])).toEqual([
      [['bounced bob@example.org'], { fresh: true }],
      [['sent ann@example.org', 'sent cy@example.org'], { fresh: true }],
      [['sent ann@example.org', 'bounced bob@example.org'], { fresh: false }],
    ]);
  });

  it('relays again when the attempt it takes over recorded nothing (the worker was lost before its events)', async () => {
    const { deps, relay, stored, clock, history } = setup({ messages: [queuedMessage()] });
    const failure = new Error('ProvisionedThroughputExceededException');
    const append = vi.spyOn(deps.events, 'append').mockImplementation(async () => {
      clock.advance(LEASE_MS);
      throw failure;
    });
    await expect(deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 1 })).rejects.toBe(failure);
    append.mockRestore();
    clock.advance(1000);
    expect(await deliverMessage(deps, jobFor(queuedMessage()), { receiveCount: 2 })).toBe('delivered-attempt');
    expect(relay.sent).toHaveLength(2);
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1 });
    expect(history().map((e) => e.type)).toEqual(['sent']);
  });
});

describe('deliverMessage: attachments', () => {
  const withFiles = () =>
    queuedMessage(['ann@example.org'], {
      content: {
        ...queuedMessage().message.content,
        attachments: [
          { key: 'attachments/acme/01J/0', filename: 'a.pdf', contentType: 'application/pdf', size: 3, disposition: 'attachment' },
          { key: 'attachments/acme/01J/1', filename: 'logo.png', contentType: 'image/png', size: 2, disposition: 'inline', contentId: 'l' },
        ],
      },
    });

  it('hands the relay every file with its bytes, in order, and gives the memory back', async () => {
    const memory = new ByteBudget(100);
    const { deps, relay, attachments } = setup({ messages: [withFiles()], attachmentMemory: memory });
    await attachments.put('attachments/acme/01J/0', Buffer.from('pdf'), 'application/pdf');
    await attachments.put('attachments/acme/01J/1', Buffer.from('png'), 'image/png');
    expect(await deliverMessage(deps, jobFor(withFiles()), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(relay.sent[0]!.attachments).toEqual([
      { filename: 'a.pdf', contentType: 'application/pdf', disposition: 'attachment', content: Buffer.from('pdf') },
      { filename: 'logo.png', contentType: 'image/png', disposition: 'inline', contentId: 'l', content: Buffer.from('png') },
    ]);
    expect(memory.held).toBe(0);
  });

  it('gives the claim back and comes back later while other jobs hold the memory', async () => {
    const memory = new ByteBudget(4);
    const other = await memory.take(4, 0);
    const { deps, relay, queue, stored } = setup({ messages: [withFiles()], attachmentMemory: memory });
    deps.maxPaceWaitMs = 10;
    expect(await deliverMessage(deps, jobFor(withFiles()), { receiveCount: 1 })).toBe('postponed');
    expect(relay.sent).toEqual([]);
    expect(stored().message.attempts).toBe(0);
    expect(queue.enqueued).toHaveLength(1);
    other!();
    expect(memory.held).toBe(0);
  });

  it('fails the message, and gives the memory back, when the bytes of a file are gone', async () => {
    const memory = new ByteBudget(100);
    const { deps, relay, queue, stored } = setup({ messages: [withFiles()], attachmentMemory: memory });
    expect(await deliverMessage(deps, jobFor(withFiles()), { receiveCount: 1 })).toBe('dead-lettered');
    expect(relay.sent).toEqual([]);
    expect(stored().message.status).toBe('failed');
    expect(queue.deadLettered[0]!.reason).toMatch(/bytes of its attachment a\.pdf are gone/);
    expect(memory.held).toBe(0);
  });
});
