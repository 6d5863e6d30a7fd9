/**
 * deliverMessage with a scheduled message, over in-memory ports: its job never runs before
 * the time; when it runs, suppressions and the sending gate are checked as for any message;
 * the Date header and the retry deadline count from the time it was due; a canceled message
 * is never relayed.
 */
import { describe, expect, it } from 'vitest';
import { messageHistory } from '../../../lib/domain/carried-events.ts';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { SendingPausedError } from '../../../lib/domain/errors.ts';
import type { StoredMessage } from '../../../lib/domain/message.ts';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../../../lib/domain/soft-bounce-policy.ts';
import type { SendingGate } from '../../../lib/ports/sending-gate.ts';
import { deliverMessage, type DeliverDeps } from '../../../lib/use-cases/deliver-message.ts';
import {
  ACCEPTED,
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemoryRelay,
  MemorySendQueue,
  MemorySoftBounceStore,
  MemorySuppressionStore,
  MemoryUnsubscribeStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const ID = '01JSCHEDULED00000000000000';
const CREATED = '2026-11-06T10:00:00.000Z';
/** 29 days after acceptance: past the 24-hour retry deadline counted from acceptance. */
const SEND_AT = '2026-12-05T10:00:00.000Z';
const DUE = Date.parse(SEND_AT);
const GREYLISTED = { code: 451, enhanced: '4.7.1', response: '451 4.7.1 Greylisted, try again later' };

function scheduledMessage(to = ['ann@example.org', 'bob@example.org']): StoredMessage {
  return {
    message: {
      id: ID,
      tenant: 'acme',
      createdAt: CREATED,
      updatedAt: CREATED,
      messageIdHeader: `<${ID.toLowerCase()}@shop.example>`,
      envelopeFrom: 'news@shop.example',
      content: { from: 'news@shop.example', to, cc: [], bcc: [], replyTo: [], subject: 'Later', text: 'Hi', headers: {} },
      tags: {},
      metadata: {},
      status: 'scheduled',
      sendAt: SEND_AT,
      attempts: 0,
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

const job: DeliveryJob = {
  v: 1,
  messageId: ID,
  tenant: 'acme',
  attempt: 1,
  recipients: 2,
  notBefore: DUE,
  enqueuedAt: Date.parse(CREATED),
};

function setup(now: number, options: { gate?: SendingGate; stored?: StoredMessage } = {}) {
  const fakes = {
    messages: new MemoryMessageStore(options.stored ?? scheduledMessage()),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    unsubscribes: new MemoryUnsubscribeStore(),
    queue: new MemorySendQueue(),
    relay: new MemoryRelay((email) => (email.startsWith('bob') ? GREYLISTED : ACCEPTED)),
    softBounces: new MemorySoftBounceStore(),
    clock: clockAt(now),
    log: memoryLog(),
  };
  const deps: DeliverDeps = {
    ...fakes,
    retry: { baseSeconds: 60, capSeconds: 3600, maxAgeSeconds: 86_400 },
    leaseMs: 60_000,
    maxDelaySeconds: 900,
    softBouncePolicy: DEFAULT_SOFT_BOUNCE_POLICY,
    ...(options.gate && { gate: options.gate }),
  };
  return { deps, ...fakes, stored: () => fakes.messages.byId.get(ID)! };
}

describe('deliverMessage: a scheduled message', () => {
  it('puts a job that comes early back on the queue until its time, claiming nothing', async () => {
    const { deps, queue, relay, stored } = setup(DUE - 40 * 60_000);
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([{ job, delaySeconds: 900 }]);
    const close = setup(DUE - 30_000);
    expect(await deliverMessage(close.deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(close.queue.enqueued).toEqual([{ job, delaySeconds: 30 }]);
    expect(relay.sent).toEqual([]);
    expect(stored().message.attempts).toBe(0);
  });

  it('is sent at its time, dated then, to recipients not suppressed in the meantime', async () => {
    const { deps, relay, suppressions, events, stored } = setup(DUE + 20_000);
    await suppressions.put({ tenant: 'acme', email: 'bob@example.org', reason: 'complaint', createdAt: '2026-11-20T00:00:00.000Z' });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('delivered-attempt');
    expect(relay.sent.map((m) => [m.envelope.to, m.date.toISOString()])).toEqual([[['ann@example.org'], SEND_AT]]);
    // The sent event is carried by the message's record (carried-events.ts), the rejection stored.
    expect(messageHistory(stored(), events.events).map((e) => [e.type, e.recipient])).toEqual([
      ['rejected', 'bob@example.org'],
      ['sent', 'ann@example.org'],
    ]);
    expect(stored().message).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('waits while its tenant is paused at its time, as any message does', async () => {
    const gate: SendingGate = {
      check: async () => {
        throw new SendingPausedError('complaint rate 0.2% over the last 24 h (threshold 0.1%)');
      },
    };
    const { deps, queue, relay, stored } = setup(DUE, { gate });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([{ job, delaySeconds: 900 }]);
    expect(relay.sent).toEqual([]);
    expect(stored().message.attempts).toBe(0);
  });

  it('retries a deferral within 24 hours of its time, not of its acceptance', async () => {
    const { deps, queue, events } = setup(DUE);
    await deliverMessage(deps, job, { receiveCount: 1 });
    expect(events.events.find((e) => e.recipient === 'bob@example.org')).toMatchObject({ type: 'deferred' });
    expect(queue.enqueued).toEqual([{ job: expect.objectContaining({ attempt: 2, notBefore: DUE + 60_000 }), delaySeconds: 60 }]);
  });

  it('is never relayed once canceled: its job finds nothing to do', async () => {
    const canceled = scheduledMessage();
    canceled.message.status = 'canceled';
    for (const r of canceled.recipients) r.status = 'canceled';
    const { deps, queue, relay, stored } = setup(DUE, { stored: canceled });
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('duplicate');
    expect(relay.sent).toEqual([]);
    expect(queue.enqueued).toEqual([]);
    expect(queue.deadLettered).toEqual([]);
    expect(stored().message).toMatchObject({ status: 'canceled', attempts: 0 });
  });
});
