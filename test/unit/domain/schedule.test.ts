import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_SCHEDULE_AHEAD_MS,
  parseRfc3339,
  planDelivery,
  sendAtProblem,
  shownStatus,
  type DeliveryPlan,
} from '../../../lib/domain/schedule.ts';

const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const MINUTE = 60_000;

describe('parseRfc3339', () => {
  it.each([
    ['2026-12-24T09:00:00Z', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24t09:00:00z', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24T09:00:00.5Z', '2026-12-24T09:00:00.500Z'],
    ['2026-12-24T09:00:00.123456789Z', '2026-12-24T09:00:00.123Z'],
    ['2026-12-24T10:30:00+01:30', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24T04:00:00-05:00', '2026-12-24T09:00:00.000Z'],
    ['2026-12-24T09:00:00-00:00', '2026-12-24T09:00:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseRfc3339(text)!).toISOString()).toBe(iso);
  });

  it.each([
    '2026-12-24',
    '2026-12-24T09:00:00',
    '2026-12-24 09:00:00Z',
    '2026-12-24T09:00Z',
    '2026-12-24T9:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-12-24T24:00:00Z',
    '2026-12-24T09:60:00Z',
    '2026-12-24T09:00:60Z',
    '2026-12-24T09:00:00+24:00',
    '2026-12-24T09:00:00+0100',
    '2026-12-24T09:00:00.Z',
    ' 2026-12-24T09:00:00Z',
    '2026-12-24T09:00:00Z\n',
    'tomorrow',
    '1796544000',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it('reads back every time written as an ISO string', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        expect(parseRfc3339(d.toISOString())).toBe(d.getTime());
      }),
    );
  });
});

describe('sendAtProblem', () => {
  it('allows the past, now, and up to 30 days ahead', () => {
    for (const at of [NOW - 86_400_000, NOW, NOW + 1, NOW + MAX_SCHEDULE_AHEAD_MS]) expect(sendAtProblem(at, NOW)).toBeUndefined();
  });

  it('refuses more than 30 days ahead, saying so', () => {
    expect(sendAtProblem(NOW + MAX_SCHEDULE_AHEAD_MS + 1, NOW)).toBe('must be at most 30 days ahead');
    expect(sendAtProblem(NOW + 31 * 86_400_000, NOW)).toBe('must be at most 30 days ahead');
  });
});

describe('planDelivery', () => {
  const plan = (sendAt: number | undefined): DeliveryPlan => planDelivery(sendAt, NOW, 900);

  it('sends at once without a time, or with a time that has come', () => {
    expect(plan(undefined)).toEqual({ kind: 'now' });
    expect(plan(NOW)).toEqual({ kind: 'now' });
    expect(plan(NOW - 5 * MINUTE)).toEqual({ kind: 'now' });
  });

  it("waits on the queue's own delay within its limit, rounded up to the second", () => {
    expect(plan(NOW + 1)).toEqual({ kind: 'delay', delaySeconds: 1 });
    expect(plan(NOW + 90_400)).toEqual({ kind: 'delay', delaySeconds: 91 });
    expect(plan(NOW + 15 * MINUTE)).toEqual({ kind: 'delay', delaySeconds: 900 });
  });

  it('needs a schedule beyond it', () => {
    expect(plan(NOW + 15 * MINUTE + 1)).toEqual({ kind: 'schedule', at: NOW + 15 * MINUTE + 1 });
    expect(plan(NOW + MAX_SCHEDULE_AHEAD_MS)).toEqual({ kind: 'schedule', at: NOW + MAX_SCHEDULE_AHEAD_MS });
  });

  it('never delays a job past its time, nor lets it out before', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_SCHEDULE_AHEAD_MS, max: MAX_SCHEDULE_AHEAD_MS }), (offset) => {
        const p = plan(NOW + offset);
        if (p.kind === 'now') expect(offset).toBeLessThanOrEqual(0);
        if (p.kind === 'delay') expect(p.delaySeconds * 1000 - offset).toSatisfy((late: number) => late >= 0 && late < 1000);
        if (p.kind === 'schedule') expect(p.at).toBe(NOW + offset);
      }),
    );
  });
});

describe('shownStatus', () => {
  const sendAt = new Date(NOW + 10 * MINUTE).toISOString();

  it('reads scheduled until the time, queued from then until delivery moves it on', () => {
    expect(shownStatus({ status: 'scheduled', sendAt }, NOW)).toBe('scheduled');
    expect(shownStatus({ status: 'scheduled', sendAt }, NOW + 10 * MINUTE)).toBe('queued');
  });

  it('leaves every other status alone', () => {
    for (const status of ['queued', 'sent', 'canceled', 'bounced'] as const) {
      expect(shownStatus({ status, sendAt }, NOW)).toBe(status);
      expect(shownStatus({ status }, NOW)).toBe(status);
    }
  });
});
