import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, makeEvent, sortEvents, type EventType, type MailEvent } from '../../../lib/domain/events.ts';

function event(type: EventType, at: string, attempt: number, recipient = 'bob@example.com'): MailEvent {
  return makeEvent({ messageId: 'm1', tenant: 'acme', recipient, type, at, attempt, tags: {}, detail: {} });
}

describe('makeEvent', () => {
  it('gives a deterministic id from message, type, recipient and attempt', () => {
    const a = event('sent', '2026-01-01T00:00:00.000Z', 1);
    const b = event('sent', '2026-01-01T00:00:09.000Z', 1);
    expect(a.eventId).toBe('m1/sent/bob@example.com/1');
    // Recording the same outcome again at another time yields the same id (recorded once).
    expect(b.eventId).toBe(a.eventId);
    expect(event('sent', a.at, 2).eventId).not.toBe(a.eventId);
    expect(event('deferred', a.at, 1).eventId).not.toBe(a.eventId);
    expect(event('sent', a.at, 1, 'carol@example.com').eventId).not.toBe(a.eventId);
    expect(a).toMatchObject({ messageId: 'm1', tenant: 'acme', type: 'sent', attempt: 1 });
  });
});

describe('sortEvents', () => {
  it('orders by time, then attempt, then lifecycle', () => {
    const t = '2026-01-01T00:00:00.000Z';
    const events = [
      event('delivered', t, 1),
      event('sent', t, 1),
      event('deferred', '2025-12-31T23:59:59.000Z', 1),
      event('queued', t, 0),
      event('opened', '2026-01-02T00:00:00.000Z', 1),
    ];
    expect(sortEvents(events).map((e) => e.type)).toEqual(['deferred', 'queued', 'sent', 'delivered', 'opened']);
  });

  it('returns a sorted permutation and leaves its input alone', () => {
    const arbitraryEvent = fc
      .tuple(fc.constantFrom(...EVENT_TYPES), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }))
      .map(([type, second, attempt]) => event(type, `2026-01-01T00:00:0${second}.000Z`, attempt));
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 15 }), (events) => {
        const copy = [...events];
        const sorted = sortEvents(events);
        expect(events).toEqual(copy);
        const canonical = (list: MailEvent[]) => list.map((e) => JSON.stringify(e)).sort();
        expect(canonical(sorted)).toEqual(canonical(events));
        for (let i = 1; i < sorted.length; i++) {
          const [p, c] = [sorted[i - 1]!, sorted[i]!];
          const order = p.at.localeCompare(c.at) || p.attempt - c.attempt || EVENT_TYPES.indexOf(p.type) - EVENT_TYPES.indexOf(c.type);
          expect(order).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
