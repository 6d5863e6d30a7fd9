import { describe, expect, it } from 'vitest';
import { median, percentile, ratePerSecond, round, summarize } from '../../../bench/stats.ts';

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it('picks the sample at or above the rank', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 99.5)).toBe(100);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples and refuses percentages outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts the samples and reports count, extremes, mean and percentiles', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ count: 4, min: 10, mean: 25, p50: 20, p90: 40, p99: 40, max: 40 });
    const reversed = summarize([...oneToHundred].reverse());
    expect(reversed).toEqual({ count: 100, min: 1, mean: 50.5, p50: 50, p90: 90, p99: 99, max: 100 });
  });

  it('leaves the caller’s array alone', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('is all NaN but the count for no samples', () => {
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    for (const value of [empty.min, empty.mean, empty.p50, empty.p99, empty.max]) expect(value).toBeNaN();
  });
});

describe('median, ratePerSecond, round', () => {
  it('takes the lower middle of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(median([5, 1, 9])).toBe(5);
  });

  it('counts per second over the window', () => {
    expect(ratePerSecond(100, 1000, 3000)).toBe(50);
    expect(ratePerSecond(3, 0, 250)).toBe(12);
    expect(ratePerSecond(1, 5, 5)).toBeNaN();
  });

  it('rounds to the given places', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(2.5, 0)).toBe(3);
  });
});
