import { describe, expect, it } from 'vitest';
import { failedTooLong, MAX_ATTEMPTS, retryDelaySeconds } from '../../../lib/domain/webhook-retry.ts';

const middle = () => 0.5;

describe('the webhook retry schedule', () => {
  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, then 10 h, with the default base', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelaySeconds(i + 1, 5, middle));
    expect(waits.slice(0, 7)).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(waits.at(-1)).toBeUndefined();
    expect(MAX_ATTEMPTS).toBe(12);
  });

  it('retries for about three days', () => {
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1, 5, middle)!).reduce((a, b) => a + b, 0);
    expect(total / 86_400).toBeGreaterThan(2.5);
    expect(total / 86_400).toBeLessThan(3.5);
  });

  it('spreads each wait by up to 20 % either way', () => {
    expect(retryDelaySeconds(2, 5, () => 0)).toBe(240);
    expect(retryDelaySeconds(2, 5, () => 0.999_999)).toBeCloseTo(360, 3);
    for (let i = 0; i < 100; i++) {
      const wait = retryDelaySeconds(1, 5)!;
      expect(wait).toBeGreaterThanOrEqual(4);
      expect(wait).toBeLessThan(6);
    }
  });

  it('scales with the base, so tests go through it in seconds', () => {
    expect(retryDelaySeconds(1, 0.05, middle)).toBeCloseTo(0.05);
    expect(retryDelaySeconds(2, 0.05, middle)).toBeCloseTo(3);
    expect(retryDelaySeconds(1, 0, middle)).toBe(0);
  });

  it('has nothing before the first try or after the last', () => {
    expect(retryDelaySeconds(0, 5)).toBeUndefined();
    expect(retryDelaySeconds(MAX_ATTEMPTS, 5)).toBeUndefined();
  });

  it('disables an endpoint failing for five days', () => {
    const since = '2026-03-01T00:00:00.000Z';
    expect(failedTooLong(since, new Date('2026-03-05T23:59:59.000Z'))).toBe(false);
    expect(failedTooLong(since, new Date('2026-03-06T00:00:00.000Z'))).toBe(true);
  });
});
