/** Metrics kept in memory, for tests that check what a use case counted. */
import type { MetricDimensions, MetricName, Metrics } from '../../../lib/ports/metrics.ts';

/** One data point: a count or a duration, with its dimensions. */
export interface DataPoint {
  name: MetricName;
  unit: 'Count' | 'Milliseconds';
  value: number;
  dimensions: MetricDimensions;
}

/** A {@link Metrics} whose data points tests may read, and sum. */
export class MemoryMetrics implements Metrics {
  readonly points: DataPoint[] = [];

  count(name: MetricName, dimensions: MetricDimensions = {}, value = 1): void {
    this.points.push({ name, unit: 'Count', value, dimensions });
  }

  duration(name: MetricName, milliseconds: number, dimensions: MetricDimensions = {}): void {
    this.points.push({ name, unit: 'Milliseconds', value: milliseconds, dimensions });
  }

  /** The sum of `name`'s counts with exactly these dimensions. */
  total(name: MetricName, dimensions: MetricDimensions = {}): number {
    return this.points
      .filter((p) => p.name === name && p.unit === 'Count' && same(p.dimensions, dimensions))
      .reduce((sum, p) => sum + p.value, 0);
  }

  /** `name`'s durations with exactly these dimensions. */
  durations(name: MetricName, dimensions: MetricDimensions = {}): number[] {
    return this.points.filter((p) => p.name === name && p.unit === 'Milliseconds' && same(p.dimensions, dimensions)).map((p) => p.value);
  }
}

function same(a: MetricDimensions, b: MetricDimensions): boolean {
  return a.relay === b.relay && a.bounceType === b.bounceType;
}
