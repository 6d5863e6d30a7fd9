/**
 * The reputation breaker's rule: a tenant whose hard-bounce rate or complaint rate over a
 * rolling window passes a threshold has its sending paused, as mailbox providers and SES
 * would otherwise do to the whole deployment.
 *
 * - Bounce rate = hard bounces / (sent + hard bounces). Only hard bounces count, as in SES's
 *   own bounce rate. The denominator holds every recipient the relay gave an answer for: an
 *   SMTP relay's 5xx is a bounce without a `sent` event, so a tenant whose mail all bounces
 *   still reaches the minimum volume. (With SES, a bounce follows its `sent`, so the rate reads
 *   a little low: 5% of sends show as 4.76%.)
 * - Complaint rate = complaints / sent. SES divides by delivered mail, but only SES reports
 *   deliveries; `sent` exists for every relay.
 * - The window is the last `windowHours` hours, from hourly counters: the oldest hour counts in
 *   proportion to its part inside the window. After a change of the tenant (a resume, for one)
 *   it starts at the next clock hour: the hour of the resume holds the bounces that caused the
 *   pause, and counting them again would pause the tenant at its next bounce.
 * - Nothing happens below `minVolume` recipients in the window; a rate exactly at its threshold
 *   does not pause (the rate must pass it). A threshold of 0 turns its rule off.
 */

/** When the breaker trips. */
export interface ReputationPolicy {
  /** Hard-bounce rate (fraction) above which sending pauses; 0: never for bounces. */
  bounceRate: number;
  /** Complaint rate (fraction) above which sending pauses; 0: never for complaints. */
  complaintRate: number;
  /** Recipients (sent + hard bounces) the window must hold before either rule applies. */
  minVolume: number;
  /** Length of the rolling window, in hours. */
  windowHours: number;
}

/** Defaults: SES's review levels (5% bounces, 0.1% complaints) over the last 24 hours, from 100 recipients. */
export const DEFAULT_REPUTATION_POLICY: ReputationPolicy = { bounceRate: 0.05, complaintRate: 0.001, minVolume: 100, windowHours: 24 };

/** Longest window, in hours (hourly counters are kept a day longer). */
export const MAX_WINDOW_HOURS = 168;

/** One clock hour of a tenant's totals; `hour` is `YYYY-MM-DDTHH` (UTC). */
export interface HourCounts {
  hour: string;
  sent: number;
  bouncedHard: number;
  complained: number;
}

/** A tenant's totals over the window (the oldest hour prorated, so possibly fractional). */
export interface WindowFigures {
  sent: number;
  bouncedHard: number;
  complained: number;
}

/** The rates of a window; null when there is nothing to divide by. */
export interface ReputationRates {
  bounceRate: number | null;
  complaintRate: number | null;
}

/** What the rule concluded. */
export type ReputationVerdict = { trip: false; rates: ReputationRates } | { trip: true; rates: ReputationRates; reason: string };

const HOUR_MS = 3_600_000;

/** The clock hour (`YYYY-MM-DDTHH`, UTC) of an ISO time or epoch milliseconds. */
export function hourOf(time: string | number): string {
  return new Date(time).toISOString().slice(0, 13);
}

/** Epoch milliseconds at which an hour (`YYYY-MM-DDTHH`) starts. */
export function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/**
 * Where the window starts (epoch ms): `windowHours` before `now`, or when the tenant changed
 * (`since`) within that time, the start of the clock hour after the change (possibly after `now`:
 * then the window is empty).
 */
export function windowStart(now: number, windowHours: number, since?: string): number {
  const start = now - windowHours * HOUR_MS;
  const changed = since === undefined ? Number.NaN : Date.parse(since);
  if (Number.isNaN(changed) || changed <= start) return start;
  return Math.ceil(changed / HOUR_MS) * HOUR_MS;
}

/**
 * Sums the hours inside `[start, now]`. An hour partly before `start` counts for the part of
 * it after `start` (its events are taken as spread evenly); later hours count whole.
 */
export function windowFigures(hours: HourCounts[], start: number, now: number): WindowFigures {
  const figures: WindowFigures = { sent: 0, bouncedHard: 0, complained: 0 };
  for (const bucket of hours) {
    const from = hourStart(bucket.hour);
    if (Number.isNaN(from) || from > now || from + HOUR_MS <= start) continue;
    const share = from >= start ? 1 : (from + HOUR_MS - start) / HOUR_MS;
    figures.sent += bucket.sent * share;
    figures.bouncedHard += bucket.bouncedHard * share;
    figures.complained += bucket.complained * share;
  }
  return figures;
}

/** The window's rates. */
export function ratesOfWindow(figures: WindowFigures): ReputationRates {
  const attempted = figures.sent + figures.bouncedHard;
  return {
    bounceRate: attempted > 0 ? figures.bouncedHard / attempted : null,
    complaintRate: figures.sent > 0 ? figures.complained / figures.sent : null,
  };
}

/** A fraction as a short percentage: 0.0625 → `6.25%`, 0.05 → `5%`, 0.001 → `0.1%`. */
export function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

/** Applies the policy to a window's figures. */
export function judge(figures: WindowFigures, policy: ReputationPolicy): ReputationVerdict {
  const rates = ratesOfWindow(figures);
  // Counts are prorated; a hair of float error must not decide the volume check.
  if (figures.sent + figures.bouncedHard < policy.minVolume - 1e-9) return { trip: false, rates };
  const over: { name: string; rate: number; threshold: number }[] = [];
  if (policy.bounceRate > 0 && rates.bounceRate !== null && rates.bounceRate > policy.bounceRate) {
    over.push({ name: 'bounce rate', rate: rates.bounceRate, threshold: policy.bounceRate });
  }
  if (policy.complaintRate > 0 && rates.complaintRate !== null && rates.complaintRate > policy.complaintRate) {
    over.push({ name: 'complaint rate', rate: rates.complaintRate, threshold: policy.complaintRate });
  }
  if (over.length === 0) return { trip: false, rates };
  const window = `over the last ${policy.windowHours} h`;
  const reason =
    over.length === 1
      ? `${over[0]!.name} ${percent(over[0]!.rate)} ${window} (threshold ${percent(over[0]!.threshold)})`
      : `${over.map((o) => `${o.name} ${percent(o.rate)} (threshold ${percent(o.threshold)})`).join(' and ')} ${window}`;
  return { trip: true, rates, reason };
}

/**
 * A notification about a tenant rather than a message: its sending was paused by the breaker.
 * Published on the same topic as message events (`type` `sending_paused`).
 */
export interface SendingPausedNotice {
  type: 'sending_paused';
  /** Deterministic (`<tenant>/sending_paused/<at>`), so subscribers can drop duplicates. */
  id: string;
  tenant: string;
  at: string;
  reason: string;
  by: 'breaker';
  policy: ReputationPolicy;
  figures: WindowFigures;
  rates: ReputationRates;
}
