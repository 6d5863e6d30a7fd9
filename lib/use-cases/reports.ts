/**
 * `GET /v1/reports`: the counters and rates of a tenant over a range of days, by day (for
 * all mail, one tag or one sending domain) or by tag or sending domain (summed over the range).
 */
import { ValidationError, type FieldProblem } from '../domain/errors.ts';
import {
  ALL_DIMENSION,
  addAmounts,
  addCounters,
  daysBetween,
  isDay,
  ratesOf,
  zeroCounters,
  type Counters,
  type DailyCounters,
} from '../domain/report.ts';
import type { ReportStore } from '../ports/report-store.ts';
import { MAX_REPORT_DAYS } from './daily-report.ts';

/** Most tag values or domains one report lists. */
export const MAX_GROUPS = 1000;

const GROUPS = ['day', 'tag', 'domain'] as const;
type Group = (typeof GROUPS)[number];

interface ReportQuery {
  from?: string;
  to?: string;
  group_by?: string;
  tag?: string;
  domain?: string;
}

const KNOWN = new Set(['from', 'to', 'group_by', 'tag', 'domain']);

function validate(query: Record<string, string>): { from: string; to: string; group: Group; dimension: string; days: string[] } {
  const problems: FieldProblem[] = [];
  const q = query as ReportQuery;
  for (const name of Object.keys(query)) if (!KNOWN.has(name)) problems.push({ field: name, message: 'is not a report parameter' });
  if (!q.from || !isDay(q.from)) problems.push({ field: 'from', message: 'must be a day as YYYY-MM-DD' });
  if (!q.to || !isDay(q.to)) problems.push({ field: 'to', message: 'must be a day as YYYY-MM-DD' });
  const group = (q.group_by ?? 'day') as Group;
  if (!GROUPS.includes(group)) problems.push({ field: 'group_by', message: `must be one of ${GROUPS.join(', ')}` });
  if (q.tag !== undefined && !/^[A-Za-z0-9_.-]{1,64}=.{0,256}$/s.test(q.tag))
    problems.push({ field: 'tag', message: 'must be name=value' });
  if (q.tag !== undefined && q.domain !== undefined) problems.push({ field: 'domain', message: 'give tag or domain, not both' });
  if ((q.tag !== undefined || q.domain !== undefined) && group !== 'day') {
    problems.push({ field: 'group_by', message: 'tag and domain select a series by day; use group_by=day' });
  }
  if (problems.length || !q.from || !q.to) throw new ValidationError('The report query is invalid.', problems);
  // Check the span arithmetically before listing the days: a range of millennia must not cost anything.
  const span = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (span < 1) throw new ValidationError('The report query is invalid.', [{ field: 'to', message: 'must not be before from' }]);
  if (span > MAX_REPORT_DAYS)
    throw new ValidationError('The report query is invalid.', [{ field: 'to', message: `at most ${MAX_REPORT_DAYS} days per request` }]);
  const days = daysBetween(q.from, q.to);
  const dimension = q.tag !== undefined ? `tag:${q.tag}` : q.domain !== undefined ? `domain:${q.domain.toLowerCase()}` : ALL_DIMENSION;
  return { from: q.from, to: q.to, group, dimension, days };
}

/** Conversion values by currency (`converted_value`), present only when there are some. */
function valueOf(amounts: Record<string, number> | undefined): { converted_value?: Record<string, number> } {
  return amounts && Object.keys(amounts).length ? { converted_value: amounts } : {};
}

async function total(
  reports: ReportStore,
  tenant: string,
  dimension: string,
  from: string,
  to: string,
): Promise<Counters & { converted_value?: Record<string, number> }> {
  const days = await reports.daily(tenant, dimension, from, to);
  const amounts = days.reduce((sum, day) => addAmounts(sum, day.amounts), {});
  return { ...days.reduce((sum, day) => addCounters(sum, day.counters), zeroCounters()), ...valueOf(amounts) };
}

/** The report for a tenant and query. */
export async function report(reports: ReportStore, tenant: string, query: Record<string, string>) {
  const { from, to, group, dimension, days } = validate(query);
  if (group === 'day') {
    const stored = new Map<string, DailyCounters>((await reports.daily(tenant, dimension, from, to)).map((d) => [d.day, d]));
    const totals = zeroCounters();
    const amounts: Record<string, number> = {};
    const rows = days.map((day) => {
      const counters = stored.get(day)?.counters ?? zeroCounters();
      addCounters(totals, counters);
      addAmounts(amounts, stored.get(day)?.amounts);
      return { day, ...counters, ...valueOf(stored.get(day)?.amounts), rates: ratesOf(counters) };
    });
    return { from, to, group_by: group, dimension, rows, totals: { ...totals, ...valueOf(amounts), rates: ratesOf(totals) } };
  }
  const prefix = group === 'tag' ? 'tag:' : 'domain:';
  const dimensions = await reports.dimensions(tenant, prefix, MAX_GROUPS);
  const rows: Record<string, unknown>[] = [];
  // A few at a time: each is one query over the range.
  for (let i = 0; i < dimensions.length; i += 8) {
    const slice = dimensions.slice(i, i + 8);
    const sums = await Promise.all(slice.map((d) => total(reports, tenant, d, from, to)));
    slice.forEach((d, j) => {
      const counters = sums[j]!;
      if (Object.values(counters).some((n) => typeof n === 'number' && n > 0)) {
        rows.push({ [group]: d.slice(prefix.length), ...counters, rates: ratesOf(counters) });
      }
    });
  }
  const totals = await total(reports, tenant, ALL_DIMENSION, from, to);
  return { from, to, group_by: group, rows, totals: { ...totals, rates: ratesOf(totals) } };
}
