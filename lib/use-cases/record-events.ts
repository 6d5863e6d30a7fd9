/**
 * What follows an event being recorded: count it in the daily reports (exactly once, even
 * when the same stream batch is handed over again), publish it to subscribers (at least
 * once), and for hard bounces and complaints check the tenant's reputation (reputation-breaker.ts).
 */
import type { MailEvent } from '../domain/events.ts';
import { METRIC } from '../observability/metric-names.ts';
import { incrementsFor } from '../domain/report.ts';
import type { Log } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { ReportStore } from '../ports/report-store.ts';
import { checkReputation, type ReputationBreakerDeps } from './reputation-breaker.ts';

export interface RecordEventsDeps {
  reports: ReportStore;
  notifier: Notifier;
  log: Log;
  /** The reputation breaker, run for tenants with hard bounces or complaints in a batch; absent: off. */
  breaker?: ReputationBreakerDeps;
  /** Counts the notifications that could not be published; absent: nothing is counted. */
  metrics?: Metrics;
}

/**
 * Counts events in order, then publishes those counted. Returns the index of the first
 * event that must be handed over again (undefined when all are done): everything from
 * there is retried, and what was counted before is not counted twice.
 */
export function recordEvents(deps: RecordEventsDeps, events: MailEvent[]): Promise<number | undefined> {
  return recordEventGroups(
    deps,
    events.map((event) => [event] as const),
  );
}

/** Events handed over again only together (the events one stream record brings): one or more. */
export type EventGroup = readonly [MailEvent, ...MailEvent[]];

/**
 * recordEvents for groups of events: a group is counted whole or not at all, under its first
 * event's id. Returns the index of the first group to hand over again.
 */
export async function recordEventGroups(deps: RecordEventsDeps, groups: readonly EventGroup[]): Promise<number | undefined> {
  // The whole batch in a few writes; the store skips what an earlier attempt counted.
  const {
    applied: done,
    counted,
    error,
  } = await deps.reports.applyBatch(groups.map((group) => ({ id: group[0].eventId, increments: group.flatMap(incrementsFor) })));
  if (error !== undefined)
    deps.log.warn('counting an event failed; retrying from it', { eventId: groups[done]?.[0].eventId, error: String(error) });
  const recorded = groups.slice(0, done).flat();
  try {
    if (done) await deps.notifier.publish(recorded);
  } catch (error) {
    deps.log.warn('publishing events failed; retrying the batch', { count: recorded.length, error: String(error) });
    deps.metrics?.count(METRIC.notificationFailures, {}, recorded.length);
    return 0;
  }
  // After counting, so that the window holds this batch's bounces and complaints.
  if (deps.breaker && done) await checkReputation(deps.breaker, recorded);
  deps.log.debug('events recorded', { received: groups.length, counted });
  return done < groups.length ? done : undefined;
}
