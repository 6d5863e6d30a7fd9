/**
 * The reputation breaker, run by the events-stream consumer after each batch: a tenant with
 * hard bounces or complaints in the batch has its window's rates worked out, and when one
 * passes its threshold its sending is paused (`by: 'breaker'`), a `sending_paused` notice is
 * published and the pause is logged. The extra reads are one tenant record and one query of
 * its hourly totals, and only for those tenants.
 */
import type { MailEvent } from '../domain/events.ts';
import { METRIC } from '../observability/metric-names.ts';
import { hourOf, judge, windowFigures, windowStart, type ReputationPolicy, type SendingPausedNotice } from '../domain/reputation.ts';
import type { Clock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { HourlyCounters } from '../ports/report-store.ts';
import type { TenantStore } from '../ports/tenant-store.ts';

export interface ReputationBreakerDeps {
  tenants: TenantStore;
  counters: HourlyCounters;
  notifier: Notifier;
  policy: ReputationPolicy;
  clock: Clock;
  log: Log;
  /** Counts a notice that could not be published; absent: nothing is counted. */
  metrics?: Metrics;
}

/** What a check of one tenant came to. */
export type ReputationCheck = 'ok' | 'paused' | 'already-paused';

/** Tenants whose rates the events may have raised: those with hard bounces or complaints. */
export function tenantsToCheck(events: MailEvent[]): string[] {
  const tenants = new Set<string>();
  for (const event of events) {
    if (event.type === 'complained' || (event.type === 'bounced' && event.detail.bounceType !== 'soft')) tenants.add(event.tenant);
  }
  return [...tenants];
}

/**
 * Checks one tenant's window and pauses its sending when a rate passes its threshold. After a
 * change of the tenant since its creation (`updatedAt`: a resume, for one) the window starts at
 * the next clock hour, so that the figures an operator has acted on do not pause the tenant
 * again at its next bounce.
 */
export async function checkTenant(deps: ReputationBreakerDeps, tenant: string): Promise<ReputationCheck> {
  const record = await deps.tenants.get(tenant);
  if (record?.sending.status === 'paused') return 'already-paused';
  const now = deps.clock.now().getTime();
  const changedAt = record && record.updatedAt !== record.createdAt ? record.updatedAt : undefined;
  const start = windowStart(now, deps.policy.windowHours, changedAt);
  const hours = await deps.counters.hourly(tenant, hourOf(start), hourOf(now));
  const figures = windowFigures(hours, start, now);
  const verdict = judge(figures, deps.policy);
  if (!verdict.trip) return 'ok';
  const at = new Date(now).toISOString();
  // Conditional on the state: of two stream shards pausing the same tenant, one changes it and notifies.
  const changed = await deps.tenants.setSending(tenant, { status: 'paused', reason: verdict.reason, pausedAt: at, by: 'breaker' }, at);
  if (!changed) return 'already-paused';
  deps.log.warn('sending paused by the reputation breaker', { tenant, reason: verdict.reason, ...figures, ...verdict.rates });
  const notice: SendingPausedNotice = {
    type: 'sending_paused',
    id: `${tenant}/sending_paused/${at}`,
    tenant,
    at,
    reason: verdict.reason,
    by: 'breaker',
    policy: deps.policy,
    figures,
    rates: verdict.rates,
  };
  try {
    await deps.notifier.publishNotice(notice);
  } catch (error) {
    // The pause holds and the API says why; the log line above is the record of it.
    deps.log.error('sending_paused notification not published', { tenant, error: String(error) });
    deps.metrics?.count(METRIC.notificationFailures);
  }
  return 'paused';
}

/**
 * Checks every tenant with hard bounces or complaints among `events`. A check that fails is
 * logged and skipped: the tenant's next bounce checks it again, and the batch's counting and
 * publishing are not undone for it.
 */
export async function checkReputation(deps: ReputationBreakerDeps, events: MailEvent[]): Promise<void> {
  if (deps.policy.bounceRate <= 0 && deps.policy.complaintRate <= 0) return;
  await Promise.all(
    tenantsToCheck(events).map(async (tenant) => {
      try {
        await checkTenant(deps, tenant);
      } catch (error) {
        deps.log.warn('reputation check failed', { tenant, error: String(error) });
      }
    }),
  );
}
