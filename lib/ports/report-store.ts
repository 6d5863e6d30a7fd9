import type { CounterIncrement, DailyCounters } from '../domain/report.ts';
import type { HourCounts } from '../domain/reputation.ts';

/** Daily counters per tenant and dimension. */
export interface ReportStore {
  /**
   * Applies an increment exactly once: a second call with the same key changes nothing
   * and returns false.
   */
  apply(increment: CounterIncrement): Promise<boolean>;
  /** Counters per day from `from` to `to` (inclusive, `YYYY-MM-DD`); days without any are left out. */
  daily(tenant: string, dimension: string, from: string, to: string): Promise<DailyCounters[]>;
  /** The tenant's dimensions that start with `prefix` (e.g. `tag:`), at most `limit`. */
  dimensions(tenant: string, prefix: string, limit: number): Promise<string[]>;
}

/** A tenant's hourly totals of sent, hard-bounced and complained mail, kept for a week: the reputation breaker's window. */
export interface HourlyCounters {
  /** Hours from `fromHour` to `toHour` (inclusive, `YYYY-MM-DDTHH` UTC) that have any counts, in order. */
  hourly(tenant: string, fromHour: string, toHour: string): Promise<HourCounts[]>;
}
