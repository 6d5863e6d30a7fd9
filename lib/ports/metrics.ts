/**
 * mailroom's own metrics, as the use cases record them: counts and durations under the names of
 * lib/observability/metric-names.ts. In Lambda they become CloudWatch metrics (embedded metric
 * format); in local mode they go to the log.
 */
import type { BOUNCE_TYPES, METRIC, RELAY_KINDS } from '../observability/metric-names.ts';

/** A metric's name. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
/** The relay a delivery outcome came from (the `Relay` dimension). */
export type RelayKind = (typeof RELAY_KINDS)[number];
/** A bounce's kind (the `BounceType` dimension). */
export type BounceType = (typeof BOUNCE_TYPES)[number];

/** The dimensions a data point may carry beside the service: few values, never a tenant or an address. */
export interface MetricDimensions {
  relay?: RelayKind;
  bounceType?: BounceType;
}

/** Records metrics; never throws and never waits (the data points are written out after the invocation). */
export interface Metrics {
  /** Adds `value` (1 when absent) to a count. */
  count(name: MetricName, dimensions?: MetricDimensions, value?: number): void;
  /** Records a duration in milliseconds. */
  duration(name: MetricName, milliseconds: number, dimensions?: MetricDimensions): void;
}

/** The relay kind of a relay's name (`RelayResult.relay`): `ses`, else `smtp` (every other relay speaks SMTP). */
export function relayKind(relay: string): RelayKind {
  return relay === 'ses' ? 'ses' : 'smtp';
}
