/** Percentiles, summaries and rates of the benchmark's samples. */

/** A distribution of samples, in the samples' unit (milliseconds for latencies). */
export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of ascending `sorted` samples: the smallest sample with at
 * least `p` percent of the samples at or below it. Always one of the samples; NaN when
 * there are none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Count, extremes, mean and the percentiles the report shows, of samples in any order. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const count = sorted.length;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count,
    min: count ? sorted[0]! : Number.NaN,
    mean: count ? sum / count : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: count ? sorted[count - 1]! : Number.NaN,
  };
}

/** The median of samples in any order (the lower middle one for an even count). */
export function median(samples: readonly number[]): number {
  return percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );
}

/** Events per second: `count` over the milliseconds from `startMs` to `endMs`. */
export function ratePerSecond(count: number, startMs: number, endMs: number): number {
  const elapsed = endMs - startMs;
  if (!(elapsed > 0)) return Number.NaN;
  return (count * 1000) / elapsed;
}

/** Rounds to `digits` decimal places (for the JSON output; NaN stays NaN). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
