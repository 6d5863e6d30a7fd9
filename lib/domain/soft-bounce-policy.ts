/**
 * The repeated-soft-bounce rule: a soft bounce alone never suppresses an address, but an
 * address that soft-bounces again and again within a window is treated as undeliverable.
 */

/** How many soft bounces within how many hours suppress an address. */
export interface SoftBouncePolicy {
  /** Soft bounces (the new one included) that suppress; 0 turns the rule off. */
  count: number;
  /** Length of the window, ending now, in which they are counted. */
  windowHours: number;
}

/**
 * 5 soft bounces within 72 hours. A soft bounce is never a first try: mailroom's relay gives
 * up only after a day of retries (the default retry deadline), and SES reports one only after
 * its own retries, so greylisting and short outages never produce one. Five of them within
 * three days mean several messages kept failing over days — a mailbox that stays full, a
 * server that stays down. Fewer, or a shorter window, would drop the address of someone whose
 * mailbox filled up over a weekend after a message or two; the window also stays short enough
 * that occasional soft bounces spread over months never add up.
 */
export const DEFAULT_SOFT_BOUNCE_POLICY: Readonly<SoftBouncePolicy> = Object.freeze({ count: 5, windowHours: 72 });

const HOUR_MS = 3_600_000;

/**
 * Whether the address should be suppressed after its latest soft bounce.
 *
 * @param softBounceTimes ISO times of the address's soft bounces, the new one included, each
 *   bounce once (the caller removes duplicated notifications; equal times count twice, as two
 *   messages may well bounce in the same millisecond). Order does not matter; unreadable
 *   times are ignored.
 * @param now The end of the window. Times after it still count: the reporter's clock (SES,
 *   a receiving server) may run ahead of ours.
 * @param policy How many bounces within how many hours; a `count` below 1 never suppresses.
 */
export function shouldSuppressAfterSoftBounces(
  softBounceTimes: string[],
  now: Date,
  policy: { count: number; windowHours: number },
): boolean {
  if (!(policy.count >= 1) || !(policy.windowHours > 0)) return false;
  const since = now.getTime() - policy.windowHours * HOUR_MS;
  let recent = 0;
  for (const time of softBounceTimes) {
    const at = Date.parse(time);
    if (!Number.isNaN(at) && at >= since) recent += 1;
  }
  return recent >= policy.count;
}
