/** The reputation breaker's rule: rates over the window, the thresholds, the minimum volume. */
import { describe, expect, it } from 'vitest';
import { reputationPolicy } from '../../lib/config.ts';
import {
  DEFAULT_REPUTATION_POLICY,
  hourOf,
  judge,
  percent,
  ratesOfWindow,
  windowFigures,
  windowStart,
  type HourCounts,
  type ReputationPolicy,
} from '../../lib/domain/reputation.ts';

const policy: ReputationPolicy = { ...DEFAULT_REPUTATION_POLICY };
const figures = (sent: number, bouncedHard: number, complained = 0) => ({ sent, bouncedHard, complained });
const hour = (h: string, sent: number, bouncedHard = 0, complained = 0): HourCounts => ({ hour: h, sent, bouncedHard, complained });

describe('judge', () => {
  it('pauses when the hard-bounce rate passes 5%, naming rate, window and threshold', () => {
    // 62 bounces of 1000 recipients the relay answered for: 6.2%.
    const verdict = judge(figures(938, 62), policy);
    expect(verdict).toEqual({
      trip: true,
      rates: { bounceRate: 0.062, complaintRate: 0 },
      reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
    });
  });

  it('does not pause exactly at a threshold: the rate must pass it', () => {
    expect(judge(figures(950, 50), policy).trip).toBe(false);
    expect(judge(figures(949, 51), policy).trip).toBe(true);
    expect(judge(figures(1000, 0, 1), policy).trip).toBe(false);
    expect(judge(figures(1000, 0, 2), policy)).toMatchObject({
      trip: true,
      reason: 'complaint rate 0.2% over the last 24 h (threshold 0.1%)',
    });
  });

  it('waits for the minimum volume, counting bounces that never became sends', () => {
    // One bounce out of two messages is no reason to pause anyone.
    expect(judge(figures(1, 1), policy).trip).toBe(false);
    expect(judge(figures(59, 40), policy).trip).toBe(false);
    // An SMTP relay's 5xx is a bounce without a send: a tenant whose mail all bounces still trips.
    expect(judge(figures(0, 100), policy)).toMatchObject({ trip: true, rates: { bounceRate: 1, complaintRate: null } });
    expect(judge(figures(1, 1), { ...policy, minVolume: 2 }).trip).toBe(true);
  });

  it('names both rates when both pass', () => {
    expect(judge(figures(900, 100, 5), policy)).toMatchObject({
      trip: true,
      reason: 'bounce rate 10% (threshold 5%) and complaint rate 0.56% (threshold 0.1%) over the last 24 h',
    });
  });

  it('never pauses for a rule whose threshold is 0', () => {
    expect(judge(figures(0, 500), { ...policy, bounceRate: 0 }).trip).toBe(false);
    expect(judge(figures(500, 0, 100), { ...policy, complaintRate: 0 }).trip).toBe(false);
  });

  it('has no rates without anything to divide by', () => {
    expect(ratesOfWindow(figures(0, 0))).toEqual({ bounceRate: null, complaintRate: null });
  });

  it('writes short percentages', () => {
    expect([0.05, 0.001, 0.0625, 1, 0.00123].map(percent)).toEqual(['5%', '0.1%', '6.25%', '100%', '0.12%']);
  });
});

describe('the window', () => {
  const now = Date.parse('2026-11-28T15:30:00Z');
  const H = 3_600_000;

  it('is the last windowHours hours, the oldest hour counted for its part inside', () => {
    const start = windowStart(now, 24, undefined);
    expect(new Date(start).toISOString()).toBe('2026-11-27T15:30:00.000Z');
    const hours = [
      hour('2026-11-27T14', 1000, 1000), // before the window
      hour('2026-11-27T15', 100, 10), // half inside
      hour('2026-11-28T09', 200, 4),
      hour('2026-11-28T15', 50, 1), // the current hour
      hour('2026-11-28T16', 999, 999), // after now (a clock ahead of ours)
    ];
    expect(windowFigures(hours, start, now)).toEqual({ sent: 300, bouncedHard: 10, complained: 0 });
  });

  it('starts at the clock hour after the tenant was last changed (resumed)', () => {
    // The hour of the resume holds the bounces that paused the tenant: it is left out.
    const start = windowStart(now, 24, '2026-11-28T12:15:00.000Z');
    expect(new Date(start).toISOString()).toBe('2026-11-28T13:00:00.000Z');
    const hours = [hour('2026-11-28T09', 900, 300), hour('2026-11-28T12', 40, 4), hour('2026-11-28T13', 100, 2), hour('2026-11-28T15', 10)];
    expect(windowFigures(hours, start, now)).toEqual({ sent: 110, bouncedHard: 2, complained: 0 });
    // Resumed within the current hour: nothing counts yet.
    const empty = windowStart(now, 24, '2026-11-28T15:10:00.000Z');
    expect(windowFigures(hours, empty, now)).toEqual({ sent: 0, bouncedHard: 0, complained: 0 });
    // A change older than the window, or a malformed one, leaves the window as it is.
    expect(windowStart(now, 24, '2026-01-01T00:00:00.000Z')).toBe(now - 24 * H);
    expect(windowStart(now, 24, 'not a time')).toBe(now - 24 * H);
  });

  it('names clock hours in UTC', () => {
    expect(hourOf('2026-11-28T15:59:59.999Z')).toBe('2026-11-28T15');
    expect(hourOf(Date.parse('2026-11-28T00:00:00Z') - 1)).toBe('2026-11-27T23');
  });
});

describe('configuration', () => {
  it('defaults to 5% bounces, 0.1% complaints, 100 recipients over 24 hours', () => {
    expect(reputationPolicy({})).toEqual({ bounceRate: 0.05, complaintRate: 0.001, minVolume: 100, windowHours: 24 });
  });

  it('reads the variables and names a malformed one', () => {
    expect(
      reputationPolicy({
        MAILROOM_BREAKER_BOUNCE_RATE: '0.02',
        MAILROOM_BREAKER_COMPLAINT_RATE: '0',
        MAILROOM_BREAKER_MIN_VOLUME: '500',
        MAILROOM_BREAKER_WINDOW_HOURS: '6',
      }),
    ).toEqual({ bounceRate: 0.02, complaintRate: 0, minVolume: 500, windowHours: 6 });
    expect(() => reputationPolicy({ MAILROOM_BREAKER_BOUNCE_RATE: '5%' })).toThrow(
      /MAILROOM_BREAKER_BOUNCE_RATE must be a fraction from 0 to 1/,
    );
    expect(() => reputationPolicy({ MAILROOM_BREAKER_COMPLAINT_RATE: '1.5' })).toThrow(/MAILROOM_BREAKER_COMPLAINT_RATE/);
    expect(() => reputationPolicy({ MAILROOM_BREAKER_WINDOW_HOURS: '200' })).toThrow(
      /MAILROOM_BREAKER_WINDOW_HOURS must be a whole number from 1 to 168/,
    );
    expect(() => reputationPolicy({ MAILROOM_BREAKER_MIN_VOLUME: '0' })).toThrow(/MAILROOM_BREAKER_MIN_VOLUME/);
  });
});
