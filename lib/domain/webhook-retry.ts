/**
 * When a failed webhook delivery is tried again: after about 5 s, 5 min, 30 min, 2 h, 5 h and
 * then every 10 h, twelve tries over about three days, each wait spread by ±20 % so that the
 * retries of many deliveries that failed together (an endpoint that was down) do not all come
 * back at once. The waits are multiples of a base (MAILROOM_WEBHOOK_RETRY_BASE_SECONDS, 5 by
 * default), so tests and local runs can go through the schedule in seconds.
 */

/** Each wait after a failed try, in bases: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h × 6 with the default base of 5 s. */
export const RETRY_STEPS: readonly number[] = [1, 60, 360, 1440, 3600, 7200, 7200, 7200, 7200, 7200, 7200];

/** Tries of one delivery in all: the first and one per step. */
export const MAX_ATTEMPTS = RETRY_STEPS.length + 1;

/** The default base, in seconds. */
export const DEFAULT_RETRY_BASE_SECONDS = 5;

/** How far each wait is spread either way (a fraction of it). */
export const JITTER = 0.2;

/** An endpoint whose every delivery failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;

/**
 * Seconds to wait after `attempt` (1 for the first try) failed, or undefined when that was the
 * last try. `random` gives a number in [0, 1).
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number, random: () => number = Math.random): number | undefined {
  const step = RETRY_STEPS[attempt - 1];
  if (step === undefined || attempt < 1) return undefined;
  return step * baseSeconds * (1 - JITTER + 2 * JITTER * random());
}

/** Whether an endpoint failing since `failingSince` (ISO) has failed long enough, at `now`, to be disabled. */
export function failedTooLong(failingSince: string, now: Date): boolean {
  return now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_FAILING_MS;
}
