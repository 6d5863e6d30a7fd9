import type { CounterIncrement, DailyCounters } from '../domain/report.ts';

/** Daily counters per tenant and dimension. */
export interface ReportStore {
  /**
   * Applies an increment exactly once: a second call with the same eventId changes nothing
   * and returns false.
   */
  apply(increment: CounterIncrement): Promise<boolean>;
  /** Counters per day from `from` to `to` (inclusive, `YYYY-MM-DD`); days without any are left out. */
  daily(tenant: string, dimension: string, from: string, to: string): Promise<DailyCounters[]>;
}
