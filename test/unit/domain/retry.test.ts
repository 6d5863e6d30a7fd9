import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffSeconds, nextRetryAt, type RetryPolicy } from '../../../lib/domain/retry.ts';

const policy: RetryPolicy = { baseSeconds: 60, capSeconds: 3600, maxAgeSeconds: 86_400 };
const policies = fc
  .record({
    baseSeconds: fc.integer({ min: 0, max: 43_200 }),
    extra: fc.integer({ min: 0, max: 100_000 }),
    maxAgeSeconds: fc.integer({ min: 0, max: 14 * 86_400 }),
  })
  .map(({ baseSeconds, extra, maxAgeSeconds }): RetryPolicy => ({ baseSeconds, capSeconds: baseSeconds + extra, maxAgeSeconds }));

describe('backoffSeconds', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffSeconds(policy, attempt))).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(backoffSeconds(policy, 0)).toBe(60);
    expect(backoffSeconds(policy, 10_000)).toBe(3600);
  });

  it('is monotonic in the attempt, never above the cap, never below the base (when base ≤ cap)', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 10_000 }), (p, attempt) => {
        const now = backoffSeconds(p, attempt);
        const next = backoffSeconds(p, attempt + 1);
        expect(Number.isFinite(now)).toBe(true);
        expect(next).toBeGreaterThanOrEqual(now);
        expect(now).toBeLessThanOrEqual(p.capSeconds);
        expect(now).toBeGreaterThanOrEqual(p.baseSeconds);
      }),
      { numRuns: 500 },
    );
  });
});

describe('nextRetryAt', () => {
  const accepted = Date.UTC(2026, 0, 1);

  it('schedules after the backoff while within the maximum age', () => {
    expect(nextRetryAt(policy, 1, accepted, accepted + 5_000)).toBe(accepted + 5_000 + 60_000);
    expect(nextRetryAt(policy, 3, accepted, accepted + 3_600_000)).toBe(accepted + 3_600_000 + 240_000);
  });

  it('gives up when the retry would fall past the maximum age', () => {
    expect(nextRetryAt(policy, 1, accepted, accepted + 86_400_000 - 60_000)).toBe(accepted + 86_400_000);
    expect(nextRetryAt(policy, 1, accepted, accepted + 86_400_000 - 59_999)).toBeUndefined();
    expect(nextRetryAt({ ...policy, maxAgeSeconds: 0 }, 1, accepted, accepted)).toBeUndefined();
  });

  it('never schedules before now nor beyond the deadline', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 20 * 86_400_000 }), (p, attempt, elapsed) => {
        const now = accepted + elapsed;
        const at = nextRetryAt(p, attempt, accepted, now);
        if (at === undefined) {
          expect(now + backoffSeconds(p, attempt) * 1000 - accepted).toBeGreaterThan(p.maxAgeSeconds * 1000);
        } else {
          expect(at).toBeGreaterThanOrEqual(now);
          expect(at - accepted).toBeLessThanOrEqual(p.maxAgeSeconds * 1000);
        }
      }),
      { numRuns: 500 },
    );
  });
});
