/**
 * CloudWatch metric objects for what the alarms and the dashboard read: mailroom's own EMF
 * metrics, named only through lib/observability/metric-names.ts, and the SES account metrics.
 */
import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import {
  BOUNCE_TYPES,
  METRIC,
  METRIC_DIMENSION,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  RELAY_KINDS,
} from '../../lib/observability/metric-names.ts';

/** A metric of `METRIC`. */
export type MailroomMetricName = (typeof METRIC)[keyof typeof METRIC];
export type RelayKind = (typeof RELAY_KINDS)[number];
export type BounceType = (typeof BOUNCE_TYPES)[number];

/** The period of every alarm but SES reputation's, and of the dashboard's graphs. */
export const FIVE_MINUTES = Duration.minutes(5);

/** One of mailroom's metrics with its dimensions: `service` always, `Relay` and `BounceType` when given. */
export function mailroomMetric(
  name: MailroomMetricName,
  options: { relay?: RelayKind; bounceType?: BounceType; statistic?: string; label?: string } = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: {
      [METRIC_DIMENSION.service]: METRICS_SERVICE,
      ...(options.relay && { [METRIC_DIMENSION.relay]: options.relay }),
      ...(options.bounceType && { [METRIC_DIMENSION.bounceType]: options.bounceType }),
    },
    statistic: options.statistic ?? Stats.SUM,
    period: FIVE_MINUTES,
    ...(options.label && { label: options.label }),
  });
}

/**
 * A count metric carried per relay, summed over both relays: a deployment relays through SES or
 * SMTP, and tenants may bring relays of the other kind. Missing periods count as zero.
 */
export function acrossRelays(name: MailroomMetricName, label: string, bounceType?: BounceType): MathExpression {
  // Ids are unique within a graph or alarm, which may hold several of these sums.
  const id = (relay: RelayKind) => `${name.charAt(0).toLowerCase()}${name.slice(1)}_${relay}${bounceType ? `_${bounceType}` : ''}`;
  const usingMetrics = Object.fromEntries(
    RELAY_KINDS.map((relay) => [id(relay), mailroomMetric(name, { relay, ...(bounceType && { bounceType }) })]),
  );
  return new MathExpression({
    expression: RELAY_KINDS.map((relay) => `FILL(${id(relay)}, 0)`).join(' + '),
    usingMetrics,
    label,
    period: FIVE_MINUTES,
  });
}

/** SES's account-wide reputation, published about hourly, as a fraction (0.05 is 5%). */
export function sesReputation(metric: 'BounceRate' | 'ComplaintRate'): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName: `Reputation.${metric}`,
    statistic: Stats.MAXIMUM,
    period: Duration.hours(1),
  });
}

/** SES's account-wide counts of one event type (Send, Delivery, Bounce, Complaint, Reject). */
export function sesCount(metric: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject'): Metric {
  return new Metric({ namespace: 'AWS/SES', metricName: metric, statistic: Stats.SUM, period: FIVE_MINUTES, label: `SES ${metric}` });
}
