import type { CounterIncrement, DailyCounters } from '../domain/report.ts';

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
