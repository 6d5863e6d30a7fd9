/** The daily counters of a tenant over a range of days. */
import { ValidationError } from '../domain/errors.ts';
import {
  ALL_DIMENSION,
  COUNTERS,
  addAmounts,
  daysBetween,
  isDay,
  zeroCounters,
  type Counters,
  type DailyCounters,
} from '../domain/report.ts';
import type { ReportStore } from '../ports/report-store.ts';

/** Longest range one request may ask for. */
export const MAX_REPORT_DAYS = 366;

export async function dailyReport(reports: ReportStore, tenant: string, query: { from?: string; to?: string }) {
  const { from, to } = query;
  const problems = [];
  if (!from || !isDay(from)) problems.push({ field: 'from', message: 'must be a day as YYYY-MM-DD' });
  if (!to || !isDay(to)) problems.push({ field: 'to', message: 'must be a day as YYYY-MM-DD' });
  if (problems.length || !from || !to) throw new ValidationError('The report range is invalid.', problems);
  // Check the span before listing its days: `0000-01-01` to `9999-12-31` would be 3.6 million.
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (span < 1) throw new ValidationError('The report range is invalid.', [{ field: 'to', message: 'must not be before from' }]);
  if (span > MAX_REPORT_DAYS) {
    throw new ValidationError('The report range is invalid.', [{ field: 'to', message: `at most ${MAX_REPORT_DAYS} days per request` }]);
  }
  const days = daysBetween(from, to);
  const stored = new Map<string, DailyCounters>((await reports.daily(tenant, ALL_DIMENSION, from, to)).map((d) => [d.day, d]));
  const totals = zeroCounters();
  const amounts: Record<string, number> = {};
  // Conversion values by currency, only where there are some.
  const value = (a: Record<string, number> | undefined) => (a && Object.keys(a).length ? { converted_value: a } : {});
  const rows = days.map((day) => {
    const counters: Counters = stored.get(day)?.counters ?? zeroCounters();
    for (const c of COUNTERS) totals[c] += counters[c];
    addAmounts(amounts, stored.get(day)?.amounts);
    return { day, ...counters, ...value(stored.get(day)?.amounts) };
  });
  return { from, to, days: rows, totals: { ...totals, ...value(amounts) } };
}
