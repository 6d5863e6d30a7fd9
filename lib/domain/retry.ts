/** Retry schedule for deferred deliveries. */

export interface RetryPolicy {
  /** First backoff, in seconds. */
  baseSeconds: number;
  /** Longest single backoff, in seconds. */
  capSeconds: number;
  /** After this many seconds since acceptance, a deferral becomes a soft bounce. */
  maxAgeSeconds: number;
}

/** Backoff before attempt `attempt + 1`, after `attempt` attempts (1-based): base·2^(attempt−1), capped. */
export function backoffSeconds(policy: RetryPolicy, attempt: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.capSeconds, policy.baseSeconds * 2 ** Math.min(exponent, 30));
}

/**
 * When to retry after `attempt` attempts, or undefined when the deadline has passed
 * (the recipient then soft-bounces). Times are epoch ms.
 */
export function nextRetryAt(policy: RetryPolicy, attempt: number, acceptedAt: number, now: number): number | undefined {
  const retryAt = now + backoffSeconds(policy, attempt) * 1000;
  return retryAt - acceptedAt > policy.maxAgeSeconds * 1000 ? undefined : retryAt;
}
