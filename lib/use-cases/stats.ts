/**
 * The figures of one list or one campaign over a range of days: the daily counters of the
 * dimension `list:<id>` or `campaign:<id>` summed (every message of a campaign carries its
 * list and campaign into its events, and so into these counters), conversion values by
 * currency, and the rates. A campaign's figures also show its fan-out.
 */
import { campaignView } from '../domain/campaign.ts';
import { ValidationError, type FieldProblem } from '../domain/errors.ts';
import { addAmounts, addCounters, isDay, ratesOf, zeroCounters, type Counters } from '../domain/report.ts';
import type { CampaignStore } from '../ports/campaign-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ListStore } from '../ports/list-store.ts';
import type { ReportStore } from '../ports/report-store.ts';
import { requireCampaign } from './campaigns.ts';
import { MAX_REPORT_DAYS } from './daily-report.ts';
import { requireList } from './lists.ts';

export interface StatsDeps {
  reports: ReportStore;
  lists: ListStore;
  campaigns: CampaignStore;
  clock: Clock;
}

/** Days a list's figures cover when the query names none: the last 30, today included. */
export const DEFAULT_STATS_DAYS = 30;

const DAY_MS = 86_400_000;
const KNOWN = new Set(['from', 'to']);

const dayAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * The range of a stats query: `from` and `to` (UTC days, both included), each defaulting as
 * `defaults` says. Throws ValidationError as GET /v1/reports does: malformed days, unknown
 * parameters, `to` before `from`, more than MAX_REPORT_DAYS days.
 */
export function statsRange(
  query: Record<string, string>,
  defaults: { from: (to: string) => string; to: string },
): { from: string; to: string } {
  const problems: FieldProblem[] = [];
  for (const name of Object.keys(query)) if (!KNOWN.has(name)) problems.push({ field: name, message: 'is not a stats parameter' });
  if (query.from !== undefined && !isDay(query.from)) problems.push({ field: 'from', message: 'must be a day as YYYY-MM-DD' });
  if (query.to !== undefined && !isDay(query.to)) problems.push({ field: 'to', message: 'must be a day as YYYY-MM-DD' });
  if (problems.length) throw new ValidationError('The stats query is invalid.', problems);
  const to = query.to ?? defaults.to;
  const from = query.from ?? defaults.from(to);
  // The span arithmetically: a range of millennia must not cost anything.
  const span = (dayMs(to) - dayMs(from)) / DAY_MS + 1;
  if (span < 1) throw new ValidationError('The stats query is invalid.', [{ field: 'to', message: 'must not be before from' }]);
  if (span > MAX_REPORT_DAYS)
    throw new ValidationError('The stats query is invalid.', [{ field: 'to', message: `at most ${MAX_REPORT_DAYS} days per request` }]);
  return { from, to };
}

/** The summed counters of a dimension over the range, with conversion values and rates. */
async function figures(reports: ReportStore, tenant: string, dimension: string, from: string, to: string) {
  const counters: Counters = zeroCounters();
  const amounts: Record<string, number> = {};
  for (const day of await reports.daily(tenant, dimension, from, to)) {
    addCounters(counters, day.counters);
    addAmounts(amounts, day.amounts);
  }
  const rate = (n: number) => (counters.sent > 0 ? Math.round((n / counters.sent) * 10_000) / 10_000 : null);
  return {
    ...counters,
    // The sum of the reported conversion values by ISO 4217 currency, named as in GET /v1/reports.
    converted_value: amounts,
    rates: { ...ratesOf(counters), unsubscribe_rate: rate(counters.unsubscribed), conversion_rate: rate(counters.converted) },
  };
}

/** `GET /v1/lists/{id}/stats?from&to`: the last 30 days by default. 404 `list_not_found`. */
export async function listStats(deps: StatsDeps, tenant: string, rawListId: string, query: Record<string, string>) {
  const list = await requireList(deps.lists, tenant, rawListId);
  const { from, to } = statsRange(query, {
    to: dayAt(deps.clock.now().getTime()),
    from: (end) => dayAt(dayMs(end) - (DEFAULT_STATS_DAYS - 1) * DAY_MS),
  });
  return { list_id: list.id, from, to, ...(await figures(deps.reports, tenant, `list:${list.id}`, from, to)) };
}

/**
 * `GET /v1/campaigns/{id}/stats?from&to`: from the day the campaign was created to today by
 * default (at most MAX_REPORT_DAYS back), with the fan-out's status and counts. 404 `campaign_not_found`.
 */
export async function campaignStats(deps: StatsDeps, tenant: string, rawId: string, query: Record<string, string>) {
  const campaign = await requireCampaign(deps.campaigns, tenant, rawId);
  const { from, to } = statsRange(query, {
    to: dayAt(deps.clock.now().getTime()),
    from: (end) => {
      const created = campaign.createdAt.slice(0, 10);
      const earliest = dayAt(dayMs(end) - (MAX_REPORT_DAYS - 1) * DAY_MS);
      return created > end ? end : created < earliest ? earliest : created;
    },
  });
  const view = campaignView(campaign);
  return {
    campaign_id: campaign.id,
    list_id: campaign.listId,
    from,
    to,
    fanout: { status: view.status, ...view.progress },
    ...(await figures(deps.reports, tenant, `campaign:${campaign.id}`, from, to)),
  };
}
