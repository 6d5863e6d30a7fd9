import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, makeEvent, type EventType } from '../../../lib/domain/events.ts';
import { ALL_DIMENSION, COUNTERS, counterFor, dayOf, daysBetween, incrementsFor, isDay, zeroCounters } from '../../../lib/domain/report.ts';

describe('isDay', () => {
  it.each(['2026-01-01', '2024-02-29', '2026-12-31', '2000-02-29'])('accepts %s', (day) => {
    expect(isDay(day)).toBe(true);
  });

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-01',
    '26-01-01',
    '2026/01/01',
    ' 2026-01-01',
    '2026-01-01T00:00:00Z',
    '',
    'yesterday',
  ])('refuses %j', (day) => {
    expect(isDay(day)).toBe(false);
  });

  it('agrees with the calendar for every day it is given', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (date) => {
        expect(isDay(date.toISOString().slice(0, 10))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('daysBetween', () => {
  it('lists the days from → to, both included, across month and leap-day boundaries', () => {
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysBetween('2025-12-31', '2026-01-01')).toEqual(['2025-12-31', '2026-01-01']);
    expect(daysBetween('2026-03-29', '2026-03-29')).toEqual(['2026-03-29']);
  });

  it('is empty when to is before from', () => {
    expect(daysBetween('2026-01-02', '2026-01-01')).toEqual([]);
  });

  it('has one more day than the distance, each one after the last', () => {
    const day = fc.integer({ min: 0, max: 40_000 }).map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, span) => {
        const to = new Date(Date.parse(from) + span * 86_400_000).toISOString().slice(0, 10);
        const days = daysBetween(from, to);
        expect(days).toHaveLength(span + 1);
        expect(days[0]).toBe(from);
        expect(days.at(-1)).toBe(to);
        for (let i = 1; i < days.length; i++) expect(days[i]! > days[i - 1]!).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('counters', () => {
  it('maps each event type to one counter; queued and scheduled count as requested', () => {
    expect(counterFor('queued')).toBe('requested');
    expect(counterFor('scheduled')).toBe('requested');
    for (const type of EVENT_TYPES.filter((t) => t !== 'queued' && t !== 'scheduled')) expect(counterFor(type)).toBe(type);
    for (const type of EVENT_TYPES) expect(COUNTERS).toContain(counterFor(type));
  });

  it('starts every counter at zero', () => {
    const zero = zeroCounters();
    expect(Object.keys(zero).sort()).toEqual([...COUNTERS].sort());
    expect(Object.values(zero).every((n) => n === 0)).toBe(true);
    expect(zeroCounters()).not.toBe(zero);
  });

  it('derives the increment of an event: its id, tenant, UTC day and counter, in the `all` dimension', () => {
    const event = makeEvent({
      messageId: 'm1',
      tenant: 'acme',
      recipient: 'bob@example.com',
      type: 'delivered' as EventType,
      at: '2026-03-01T23:59:59.999Z',
      attempt: 2,
      tags: { campaign: 'spring' },
      detail: {},
    });
    expect(incrementsFor(event)).toEqual([
      {
        key: 'm1/delivered/bob@example.com/2',
        tenant: 'acme',
        day: '2026-03-01',
        dimensions: [ALL_DIMENSION, 'tag:campaign=spring'],
        counters: ['delivered'],
      },
    ]);
    expect(dayOf('2026-03-02T00:00:00.000Z')).toBe('2026-03-02');
  });
});
