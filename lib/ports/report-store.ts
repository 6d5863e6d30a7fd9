import type { CounterIncrement, DailyCounters } from '../domain/report.ts';
import type { HourCounts } from '../domain/reputation.ts';

/** Daily counters per tenant and dimension. */
export interface ReportStore {
  /**
   * Applies an increment exactly once: a second call with the same key changes nothing
   * and returns false.
   */
  apply(increment: CounterIncrement): Promise<boolean>;
  /**
   * Counts a stream batch, one entry per event in stream order, exactly once even when the
   * batch (or a prefix, or a longer one starting at the same event) is handed over again.
   * Needs the events of one stream shard in order, each batch starting where the previous
   * one ended or at an event it did not count. Never throws: a failure stops the counting
   * and is returned with how many leading entries are counted.
   */
  applyBatch(batch: EventIncrements[]): Promise<BatchCount>;
  /** Counters per day from `from` to `to` (inclusive, `YYYY-MM-DD`); days without any are left out. */
  daily(tenant: string, dimension: string, from: string, to: string): Promise<DailyCounters[]>;
  /** The tenant's dimensions that start with `prefix` (e.g. `tag:`), at most `limit`. */
  dimensions(tenant: string, prefix: string, limit: number): Promise<string[]>;
  /** The totals of every link of a campaign's messages that was clicked, in no particular order. */
  links(tenant: string, campaign: string): Promise<LinkCounts[]>;
}

/** The clicks on one link of a campaign's messages. */
export interface LinkCounts {
  url: string;
  /** Every click (`clicked` events). */
  clicks: number;
  /** Recipients' first clicks on the link. */
  uniqueClicks: number;
}

/** An event's increments. Those keyed by the event's id are summed with the rest of the batch; others (unique counts) are applied one by one. */
export interface EventIncrements {
  /** The event's id. */
  id: string;
  increments: CounterIncrement[];
}

/** What applyBatch did. */
export interface BatchCount {
  /** Leading entries now counted (by this call or before it): the first one not counted is `batch[applied]`. */
  applied: number;
  /** Of those, the entries this call counted; the others had been counted before. */
  counted: number;
  /** Why counting stopped before the end of the batch. */
  error?: unknown;
}

/** A tenant's hourly totals of sent, hard-bounced and complained mail, kept for a week: the reputation breaker's window. */
export interface HourlyCounters {
  /** Hours from `fromHour` to `toHour` (inclusive, `YYYY-MM-DDTHH` UTC) that have any counts, in order. */
  hourly(tenant: string, fromHour: string, toHour: string): Promise<HourCounts[]>;
}
