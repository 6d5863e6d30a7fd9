/**
 * What delivery counts and times, per relay, over in-memory ports: each recorded attempt's
 * outcomes (bounces are also failures), the relay's answer time and the time from acceptance to
 * the relay's answer; what SES reports later; notifications that could not be published.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryJob } from '../../../lib/domain/delivery-job.ts';
import { makeEvent, type EventType, type MailEvent } from '../../../lib/domain/events.ts';
import type { RelayAnswer, StoredMessage } from '../../../lib/domain/message.ts';
import { DEFAULT_SOFT_BOUNCE_POLICY } from '../../../lib/domain/soft-bounce-policy.ts';
import { METRIC } from '../../../lib/observability/metric-names.ts';
import type { ReportStore } from '../../../lib/ports/report-store.ts';
import { deliverMessage, type DeliverDeps } from '../../../lib/use-cases/deliver-message.ts';
import { countSesReport } from '../../../lib/use-cases/delivery-metrics.ts';
import { recordEvents } from '../../../lib/use-cases/record-events.ts';
import {
  ACCEPTED,
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemoryMetrics,
  MemoryNotifier,
  MemoryRelay,
  MemorySendQueue,
  MemorySoftBounceStore,
  MemorySuppressionStore,
  MemoryUnsubscribeStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const ID = '01JMETRICSTEST000000000000';
const CREATED = '2026-11-28T09:59:00.000Z';
const NOW = '2026-11-28T10:00:00.000Z';
const GREYLISTED: RelayAnswer = { code: 451, enhanced: '4.7.1', response: '451 4.7.1 Greylisted, try again later' };
const NO_SUCH_USER: RelayAnswer = { code: 550, enhanced: '5.1.1', response: '550 5.1.1 User unknown' };
const MAILBOX_FULL: RelayAnswer = { code: 552, enhanced: '5.2.2', response: '552 5.2.2 Mailbox full' };

function queuedMessage(to: string[], overrides: Partial<StoredMessage['message']> = {}): StoredMessage {
  return {
    message: {
      id: ID,
      tenant: 'acme',
      createdAt: CREATED,
      updatedAt: CREATED,
      messageIdHeader: `<${ID.toLowerCase()}@shop.example>`,
      envelopeFrom: 'news@shop.example',
      content: { from: 'news@shop.example', to, cc: [], bcc: [], replyTo: [], subject: 'Hello', text: 'Hi', headers: {} },
      tags: {},
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

const job = (stored: StoredMessage, attempt = 1): DeliveryJob => ({
  v: 1,
  messageId: ID,
  tenant: 'acme',
  attempt,
  recipients: stored.recipients.length,
});

/** deliverMessage over fakes; the relay `relayName` answers `answers[email]` (250 otherwise) after `answerMs`. */
function setup(stored: StoredMessage, answers: Record<string, RelayAnswer> = {}, relayName = 'smtp', answerMs = 120) {
  const clock = clockAt(NOW);
  const relay = new MemoryRelay((email) => answers[email] ?? ACCEPTED, relayName);
  const send = relay.send.bind(relay);
  relay.send = async (mail) => {
    clock.advance(answerMs);
    return send(mail);
  };
  const metrics = new MemoryMetrics();
  const deps: DeliverDeps = {
    messages: new MemoryMessageStore(stored),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    unsubscribes: new MemoryUnsubscribeStore(),
    queue: new MemorySendQueue(),
    relay,
    softBounces: new MemorySoftBounceStore(),
    clock,
    log: memoryLog(),
    retry: { baseSeconds: 60, capSeconds: 3600, maxAgeSeconds: 86_400 },
    leaseMs: 60_000,
    maxDelaySeconds: 900,
    softBouncePolicy: DEFAULT_SOFT_BOUNCE_POLICY,
    metrics,
  };
  return { deps, metrics };
}

describe('delivery metrics', () => {
  it('counts a recorded attempt per recipient and relay, with the answer time and the time since acceptance', async () => {
    const stored = queuedMessage(['ann@example.org', 'bob@example.org', 'cy@example.org', 'dee@example.org']);
    const { deps, metrics } = setup(stored, {
      'bob@example.org': GREYLISTED,
      'cy@example.org': NO_SUCH_USER,
      'dee@example.org': MAILBOX_FULL,
    });
    expect(await deliverMessage(deps, job(stored), { receiveCount: 1 })).toBe('delivered-attempt');
    expect(metrics.total(METRIC.sent, { relay: 'smtp' })).toBe(1);
    expect(metrics.total(METRIC.deferred, { relay: 'smtp' })).toBe(1);
    expect(metrics.total(METRIC.bounced, { relay: 'smtp', bounceType: 'hard' })).toBe(1);
    expect(metrics.total(METRIC.bounced, { relay: 'smtp', bounceType: 'soft' })).toBe(1);
    // Bounces are recipients delivery gave up on.
    expect(metrics.total(METRIC.failed, { relay: 'smtp' })).toBe(2);
    expect(metrics.durations(METRIC.relayAnswerTime, { relay: 'smtp' })).toEqual([120]);
    // Accepted at CREATED, a minute before the attempt began; the relay answered 120 ms into it.
    expect(metrics.durations(METRIC.acceptToSent, { relay: 'smtp' })).toEqual([60_120]);
    expect(metrics.points.every((p) => p.dimensions.relay === 'smtp')).toBe(true);
  });

  it('times from send_at for a scheduled message, and counts a retry deadline passed as a soft bounce and a failure', async () => {
    const scheduled = queuedMessage(['ann@example.org'], { sendAt: '2026-11-28T09:59:59.000Z' });
    const first = setup(scheduled, {}, 'ses', 80);
    await deliverMessage(first.deps, job(scheduled), { receiveCount: 1 });
    expect(first.metrics.durations(METRIC.acceptToSent, { relay: 'ses' })).toEqual([1080]);
    expect(first.metrics.total(METRIC.sent, { relay: 'ses' })).toBe(1);

    const old = queuedMessage(['ann@example.org'], { createdAt: '2026-11-27T10:00:30.000Z', attempts: 9, status: 'deferred' });
    const late = setup(old, { 'ann@example.org': GREYLISTED });
    await deliverMessage(late.deps, job(old, 10), { receiveCount: 1 });
    expect(late.metrics.total(METRIC.bounced, { relay: 'smtp', bounceType: 'soft' })).toBe(1);
    expect(late.metrics.total(METRIC.failed, { relay: 'smtp' })).toBe(1);
    expect(late.metrics.durations(METRIC.acceptToSent, { relay: 'smtp' })).toEqual([]);
  });

  it('counts nothing for a job that did not make an attempt', async () => {
    const stored = queuedMessage(['ann@example.org']);
    const { deps, metrics } = setup(stored);
    await deliverMessage(deps, { ...job(stored), notBefore: Date.parse(NOW) + 600_000 }, { receiveCount: 1 });
    expect(metrics.points).toEqual([]);
  });

  it('counts what SES reports: bounces by type, complaints and delivery delays, under relay ses; deliveries are not counted', () => {
    const metrics = new MemoryMetrics();
    const event = (type: EventType, bounceType?: 'hard' | 'soft'): MailEvent =>
      makeEvent({
        messageId: ID,
        tenant: 'acme',
        recipient: 'ann@example.org',
        type,
        at: NOW,
        attempt: 1,
        tags: {},
        detail: { relay: 'ses', ...(bounceType && { bounceType }) },
      });
    countSesReport(metrics, [
      event('bounced', 'hard'),
      event('bounced', 'soft'),
      event('complained'),
      event('deferred'),
      event('delivered'),
    ]);
    expect(metrics.points).toEqual([
      { name: METRIC.deferred, unit: 'Count', value: 1, dimensions: { relay: 'ses' } },
      { name: METRIC.bounced, unit: 'Count', value: 1, dimensions: { relay: 'ses', bounceType: 'hard' } },
      { name: METRIC.bounced, unit: 'Count', value: 1, dimensions: { relay: 'ses', bounceType: 'soft' } },
      { name: METRIC.complained, unit: 'Count', value: 1, dimensions: { relay: 'ses' } },
    ]);
  });

  it('counts the notifications of a batch that could not be published', async () => {
    const metrics = new MemoryMetrics();
    const notifier = new MemoryNotifier();
    notifier.failing = true;
    const reports = {
      applyBatch: async (batch: unknown[]) => ({ applied: batch.length, counted: batch.length }),
    } as unknown as ReportStore;
    const events = ['a', 'b', 'c'].map((m) =>
      makeEvent({ messageId: m, tenant: 'acme', recipient: 'ann@example.org', type: 'sent', at: NOW, attempt: 1, tags: {}, detail: {} }),
    );
    expect(await recordEvents({ reports, notifier, log: memoryLog(), metrics }, events)).toBe(0);
    expect(metrics.points).toEqual([{ name: METRIC.notificationFailures, unit: 'Count', value: 3, dimensions: {} }]);
  });
});
