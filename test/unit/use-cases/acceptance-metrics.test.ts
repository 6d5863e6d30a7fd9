/**
 * What accepting mail counts, over in-memory ports: accepted and rejected recipients of what is
 * stored, and sends refused as a whole (one each), through the API's use cases and the SMTP
 * submission checks.
 */
import { describe, expect, it } from 'vitest';
import { RateLimitedError, SendingPausedError } from '../../../lib/domain/errors.ts';
import { METRIC } from '../../../lib/observability/metric-names.ts';
import { acceptBatch, acceptMessage, type AcceptDeps } from '../../../lib/use-cases/accept-message.ts';
import { checkRecipient, checkSender } from '../../../lib/use-cases/accept-submission.ts';
import {
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemoryMetrics,
  MemorySendQueue,
  MemorySuppressionStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const NOW = '2026-12-06T10:00:00.000Z';
const body = {
  from: 'Shop <news@shop.example>',
  to: ['ann@example.org', 'bob@example.org', 'cy@example.org'],
  subject: 'Sale',
  text: 'Soon',
};

function setup(options: { paused?: boolean } = {}) {
  let n = 0;
  const metrics = new MemoryMetrics();
  const suppressions = new MemorySuppressionStore({
    tenant: 'acme',
    email: 'bob@example.org',
    reason: 'hard_bounce',
    createdAt: NOW,
  });
  const queue = new MemorySendQueue();
  const deps: AcceptDeps = {
    messages: new MemoryMessageStore(),
    events: new MemoryEventStore(),
    suppressions,
    queue,
    clock: clockAt(NOW),
    log: memoryLog(),
    newId: () => `01MSG${String(++n).padStart(21, '0')}`,
    metrics,
    ...(options.paused && {
      gate: {
        check: async () => {
          throw new SendingPausedError('bounce rate');
        },
      },
    }),
  };
  return { deps, metrics, queue };
}

describe('acceptance metrics', () => {
  it('counts the recipients of an accepted message: queued ones accepted, suppressed ones rejected', async () => {
    const { deps, metrics } = setup();
    await acceptMessage(deps, 'acme', body);
    expect(metrics.total(METRIC.accepted)).toBe(2);
    expect(metrics.total(METRIC.rejected)).toBe(1);
  });

  it('counts every recipient of a message whose recipients are all suppressed as rejected, once', async () => {
    const { deps, metrics } = setup();
    await deps.suppressions.put({ tenant: 'acme', email: 'eve@example.org', reason: 'complaint', createdAt: NOW });
    await expect(acceptMessage(deps, 'acme', { ...body, to: ['bob@example.org', 'eve@example.org'] })).rejects.toMatchObject({
      status: 422,
    });
    expect(metrics.total(METRIC.accepted)).toBe(0);
    expect(metrics.total(METRIC.rejected)).toBe(2);
  });

  it('counts an invalid send, and a send while sending is paused, as one rejected', async () => {
    const invalid = setup();
    await expect(acceptMessage(invalid.deps, 'acme', { ...body, from: 'not an address' })).rejects.toMatchObject({ status: 400 });
    expect(invalid.metrics.points).toEqual([{ name: METRIC.rejected, unit: 'Count', value: 1, dimensions: {} }]);
    const paused = setup({ paused: true });
    await expect(acceptMessage(paused.deps, 'acme', body)).rejects.toMatchObject({ status: 403 });
    expect(paused.metrics.total(METRIC.rejected)).toBe(1);
  });

  it('counts nothing when mailroom itself fails (the queue refuses): the client retries', async () => {
    const { deps, metrics, queue } = setup();
    queue.failing = true;
    await expect(acceptMessage(deps, 'acme', body)).rejects.toMatchObject({ status: 503 });
    expect(metrics.points).toEqual([]);
  });

  it('counts a batch item by item: recipients of the stored messages, one for each invalid item', async () => {
    const { deps, metrics } = setup();
    const { results } = await acceptBatch(deps, 'acme', {
      messages: [body, { ...body, to: 'nobody' }, { ...body, to: 'dee@example.org' }],
    });
    expect(results.map((r) => r.status_code)).toEqual([202, 400, 202]);
    expect(metrics.total(METRIC.accepted)).toBe(3);
    expect(metrics.total(METRIC.rejected)).toBe(2);
  });

  it('counts each message of a batch refused while sending is paused, and an invalid batch once', async () => {
    const paused = setup({ paused: true });
    await expect(acceptBatch(paused.deps, 'acme', { messages: [body, body] })).rejects.toMatchObject({ status: 403 });
    expect(paused.metrics.total(METRIC.rejected)).toBe(2);
    const invalid = setup();
    await expect(acceptBatch(invalid.deps, 'acme', { messages: [] })).rejects.toMatchObject({ status: 400 });
    expect(invalid.metrics.total(METRIC.rejected)).toBe(1);
  });

  it('counts SMTP refusals at MAIL FROM and RCPT TO, but not rate limiting', async () => {
    const { deps, metrics } = setup({ paused: true });
    await expect(checkSender(deps, 'acme', 'news@shop.example')).rejects.toBeInstanceOf(SendingPausedError);
    await expect(checkRecipient(deps, 'acme', 'bob@example.org')).rejects.toMatchObject({ code: 'recipient_suppressed' });
    await checkRecipient(deps, 'acme', 'ann@example.org');
    expect(metrics.total(METRIC.rejected)).toBe(2);
    const limited = setup();
    const limiter = { limitPerSecond: 1, take: async () => 1000 };
    await expect(checkSender({ ...limited.deps, rateLimiter: limiter }, 'acme', 'news@shop.example')).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    expect(limited.metrics.points).toEqual([]);
  });
});
