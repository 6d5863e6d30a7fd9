import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, softBouncePolicy } from '../../../lib/config.ts';
import { ENV } from '../../../lib/env.ts';
import { DEFAULT_SOFT_BOUNCE_POLICY, shouldSuppressAfterSoftBounces } from '../../../lib/domain/soft-bounce-policy.ts';

const now = new Date('2026-11-28T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
const policy = { count: 3, windowHours: 24 };

describe('shouldSuppressAfterSoftBounces', () => {
  it('suppresses once the count is reached within the window', () => {
    expect(shouldSuppressAfterSoftBounces([hoursAgo(20), hoursAgo(5)], now, policy)).toBe(false);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(20), hoursAgo(5), hoursAgo(0)], now, policy)).toBe(true);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(23), hoursAgo(22), hoursAgo(21), hoursAgo(0)], now, policy)).toBe(true);
  });

  it('does not count bounces older than the window; the window start is included', () => {
    expect(shouldSuppressAfterSoftBounces([hoursAgo(30), hoursAgo(25), hoursAgo(1), hoursAgo(0)], now, policy)).toBe(false);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(24), hoursAgo(1), hoursAgo(0)], now, policy)).toBe(true);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(24.001), hoursAgo(1), hoursAgo(0)], now, policy)).toBe(false);
  });

  it('ignores order and unreadable times, and counts times a little ahead of the clock', () => {
    expect(shouldSuppressAfterSoftBounces([hoursAgo(0), 'not a time', hoursAgo(10), hoursAgo(2)], now, policy)).toBe(true);
    expect(shouldSuppressAfterSoftBounces(['not a time', '', hoursAgo(1), hoursAgo(0)], now, policy)).toBe(false);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(2), hoursAgo(1), hoursAgo(-0.01)], now, policy)).toBe(true);
  });

  it('counts equal times separately: two messages can bounce in the same millisecond', () => {
    expect(shouldSuppressAfterSoftBounces([hoursAgo(1), hoursAgo(1), hoursAgo(1)], now, policy)).toBe(true);
  });

  it('never suppresses when the rule is turned off or the window is empty', () => {
    const many = Array.from({ length: 50 }, (_, i) => hoursAgo(i / 10));
    expect(shouldSuppressAfterSoftBounces(many, now, { count: 0, windowHours: 72 })).toBe(false);
    expect(shouldSuppressAfterSoftBounces(many, now, { count: 3, windowHours: 0 })).toBe(false);
    expect(shouldSuppressAfterSoftBounces([], now, { count: 1, windowHours: 72 })).toBe(false);
  });

  it('defaults to 5 soft bounces within 72 hours', () => {
    expect(DEFAULT_SOFT_BOUNCE_POLICY).toEqual({ count: 5, windowHours: 72 });
    const four = [70, 50, 30, 10].map(hoursAgo);
    expect(shouldSuppressAfterSoftBounces(four, now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(false);
    expect(shouldSuppressAfterSoftBounces([...four, hoursAgo(0)], now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(true);
    expect(shouldSuppressAfterSoftBounces([hoursAgo(73), ...four.slice(1), hoursAgo(0)], now, DEFAULT_SOFT_BOUNCE_POLICY)).toBe(false);
  });

  it('agrees with counting the bounces inside the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3600, max: 200 * 3600 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 168 }),
        (secondsAgo, count, windowHours) => {
          const times = secondsAgo.map((s) => new Date(now.getTime() - s * 1000).toISOString());
          const inside = secondsAgo.filter((s) => s <= windowHours * 3600).length;
          expect(shouldSuppressAfterSoftBounces(times, now, { count, windowHours })).toBe(inside >= count);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('softBouncePolicy (configuration)', () => {
  it('uses the defaults when nothing is set', () => {
    expect(softBouncePolicy({})).toEqual({ count: 5, windowHours: 72 });
  });

  it('reads both variables; a limit of 0 turns the rule off', () => {
    expect(softBouncePolicy({ [ENV.softBounceLimit]: '3', [ENV.softBounceWindowHours]: '48' })).toEqual({ count: 3, windowHours: 48 });
    expect(softBouncePolicy({ [ENV.softBounceLimit]: '0' }).count).toBe(0);
  });

  it('names the variable that is malformed', () => {
    expect(() => softBouncePolicy({ [ENV.softBounceLimit]: 'five' })).toThrow(ConfigError);
    expect(() => softBouncePolicy({ [ENV.softBounceLimit]: 'five' })).toThrow(/MAILROOM_SOFT_BOUNCE_LIMIT/);
    expect(() => softBouncePolicy({ [ENV.softBounceWindowHours]: '0' })).toThrow(/MAILROOM_SOFT_BOUNCE_WINDOW_HOURS/);
  });
});
