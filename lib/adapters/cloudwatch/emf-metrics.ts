/**
 * Metrics as CloudWatch embedded metric format (EMF) lines on standard output, written by
 * Powertools' Metrics: CloudWatch Logs turns them into metrics, with no call to CloudWatch.
 *
 * One EMF document holds one value per dimension, so data points of each combination of
 * dimensions (no relay, `ses`, `smtp`; no bounce type, `hard`, `soft`) gather in a Powertools
 * instance of their own, made up front. In Lambda the `logMetrics` middleware writes them all out
 * after each invocation ({@link EmfMetrics.instances}); a long-running process calls
 * {@link EmfMetrics.publish}.
 */
import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BOUNCE_TYPES, METRIC_DIMENSION, METRICS_NAMESPACE, METRICS_SERVICE, RELAY_KINDS } from '../../observability/metric-names.ts';
import type { Log } from '../../ports/logger.ts';
import type { MetricDimensions, MetricName, Metrics } from '../../ports/metrics.ts';

// Powertools says so whenever an instance without data points is written out, which most of
// these are after most invocations.
const NOTHING_TO_PUBLISH = /^No application metrics to publish/;

function key(dimensions: MetricDimensions): string {
  return `${dimensions.relay ?? ''}/${dimensions.bounceType ?? ''}`;
}

/** Every combination of dimensions a data point may carry. */
function combinations(): MetricDimensions[] {
  const relays = [undefined, ...RELAY_KINDS];
  const bounceTypes = [undefined, ...BOUNCE_TYPES];
  return relays.flatMap((relay) =>
    bounceTypes.map((bounceType) => ({ ...(relay && { relay }), ...(bounceType && { bounceType }) }) as MetricDimensions),
  );
}

/** {@link Metrics} written out as EMF through Powertools. */
export class EmfMetrics implements Metrics {
  readonly #byDimensions = new Map<string, PowertoolsMetrics>();

  /** `log` receives what Powertools has to say about the metrics themselves. */
  constructor(log: Log) {
    const logger = {
      debug: (message: unknown) => log.debug(String(message)),
      info: (message: unknown) => log.info(String(message)),
      warn: (message: unknown) => (NOTHING_TO_PUBLISH.test(String(message)) ? undefined : log.warn(String(message))),
      error: (message: unknown) => log.error(String(message)),
    };
    for (const dimensions of combinations()) {
      const defaultDimensions: Record<string, string> = {};
      if (dimensions.relay) defaultDimensions[METRIC_DIMENSION.relay] = dimensions.relay;
      if (dimensions.bounceType) defaultDimensions[METRIC_DIMENSION.bounceType] = dimensions.bounceType;
      this.#byDimensions.set(
        key(dimensions),
        new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE, defaultDimensions, logger }),
      );
    }
  }

  /** The Powertools instances, one per combination of dimensions: what `logMetrics` writes out. */
  get instances(): PowertoolsMetrics[] {
    return [...this.#byDimensions.values()];
  }

  count(name: MetricName, dimensions: MetricDimensions = {}, value = 1): void {
    this.#of(dimensions).addMetric(name, MetricUnit.Count, value);
  }

  duration(name: MetricName, milliseconds: number, dimensions: MetricDimensions = {}): void {
    this.#of(dimensions).addMetric(name, MetricUnit.Milliseconds, Math.max(0, milliseconds));
  }

  /** Writes out the data points gathered so far (a process that is not a Lambda function calls it now and then). */
  publish(): void {
    for (const metrics of this.#byDimensions.values()) if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }

  #of(dimensions: MetricDimensions): PowertoolsMetrics {
    // Every combination was made up front.
    return this.#byDimensions.get(key(dimensions))!;
  }
}
