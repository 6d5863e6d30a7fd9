/**
 * The metrics of local mode: no CloudWatch, a debug line per data point (`MAILROOM_LOG_LEVEL=DEBUG`
 * shows them).
 */
import { METRIC_DIMENSION } from '../../observability/metric-names.ts';
import type { Log } from '../../ports/logger.ts';
import type { MetricDimensions, MetricName, Metrics } from '../../ports/metrics.ts';

function dimensionFields(dimensions: MetricDimensions): Record<string, string> {
  return {
    ...(dimensions.relay && { [METRIC_DIMENSION.relay]: dimensions.relay }),
    ...(dimensions.bounceType && { [METRIC_DIMENSION.bounceType]: dimensions.bounceType }),
  };
}

/** {@link Metrics} as debug lines of a log. */
export class LogMetrics implements Metrics {
  constructor(private readonly log: Log) {}

  count(name: MetricName, dimensions: MetricDimensions = {}, value = 1): void {
    this.log.debug('metric', { metric: name, value, unit: 'Count', ...dimensionFields(dimensions) });
  }

  duration(name: MetricName, milliseconds: number, dimensions: MetricDimensions = {}): void {
    this.log.debug('metric', { metric: name, value: Math.max(0, milliseconds), unit: 'Milliseconds', ...dimensionFields(dimensions) });
  }
}
