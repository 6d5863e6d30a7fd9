import { describe, expect, it } from 'vitest';
import { makeEvent, type MailEvent } from '../../../lib/domain/events.ts';
import type { BatchCount, EventIncrements, ReportStore } from '../../../lib/ports/report-store.ts';
import { recordEvents } from '../../../lib/use-cases/record-events.ts';
import { MemoryNotifier, memoryLog } from '../../support/fakes/index.ts';

const events: MailEvent[] = Array.from({ length: 5 }, (_, i) =>
  makeEvent({
    messageId: `m${i}`,
    tenant: 'acme',
    recipient: 'zoe@example.org',
    type: i % 2 ? 'opened' : 'sent',
    at: '2026-03-02T10:00:00.000Z',
    attempt: 1,
    tags: {},
    detail: {},
  }),
);

/** A report store that counts `applied` events of each batch, and the batches it was given. */
function reportsCounting(answer: (batch: EventIncrements[]) => BatchCount) {
  const batches: EventIncrements[][] = [];
  const reports: ReportStore = {
    apply: () => Promise.reject(new Error('not used')),
    applyBatch: async (batch) => {
      batches.push(batch);
      return answer(batch);
    },
    daily: async () => [],
    dimensions: async () => [],
    links: async () => [],
  };
  return { reports, batches };
}

/** A notifier that keeps what it publishes, or one whose publishing fails. */
function notifier(fail = false) {
  const n = new MemoryNotifier();
  n.failing = fail;
  return { notifier: n, published: n.published };
}

describe('recordEvents', () => {
  it('counts the whole batch in one call, one entry per event with its increments, and publishes it', async () => {
    const { reports, batches } = reportsCounting((batch) => ({ applied: batch.length, counted: batch.length }));
    const { notifier: n, published } = notifier();
    expect(await recordEvents({ reports, notifier: n, log: memoryLog() }, events)).toBeUndefined();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((entry) => entry.id)).toEqual(events.map((e) => e.eventId));
    // An open also counts the unique open, under a key of its own.
    expect(batches[0]?.[1]?.increments.map((i) => i.key)).toEqual([events[1]?.eventId, 'first:m1/zoe@example.org/opened']);
    expect(published).toEqual([events]);
  });

  it('publishes the counted prefix and returns the first event to hand over again', async () => {
    const { reports } = reportsCounting(() => ({ applied: 3, counted: 1, error: new Error('throttled') }));
    const { notifier: n, published } = notifier();
    const log = memoryLog();
    expect(await recordEvents({ reports, notifier: n, log }, events)).toBe(3);
    expect(published).toEqual([events.slice(0, 3)]);
    expect(log.lines).toContainEqual({
      level: 'warn',
      message: 'counting an event failed; retrying from it',
      extra: { eventId: events[3]?.eventId, error: 'Error: throttled' },
    });
  });

  it('publishes nothing when nothing is counted, and hands the batch over again when publishing fails', async () => {
    const none = reportsCounting(() => ({ applied: 0, counted: 0, error: new Error('down') }));
    const quiet = notifier();
    expect(await recordEvents({ reports: none.reports, notifier: quiet.notifier, log: memoryLog() }, events)).toBe(0);
    expect(quiet.published).toEqual([]);

    const all = reportsCounting((batch) => ({ applied: batch.length, counted: batch.length }));
    expect(await recordEvents({ reports: all.reports, notifier: notifier(true).notifier, log: memoryLog() }, events)).toBe(0);
  });
});
