/** One soft bounce of an address, as the repeated-soft-bounce rule counts it. */
export interface SoftBounce {
  /** The bounce event's id: recording the same bounce again changes nothing. */
  id: string;
  /** When it bounced (ISO). */
  at: string;
}

/** Recent soft bounces per tenant and address: the history behind "soft-bounced repeatedly in a window". */
export interface SoftBounceStore {
  /**
   * Records a soft bounce (once per `bounce.id`) and returns the times (ISO, oldest first) of
   * the address's soft bounces at or after `since`, this one included. The store may forget
   * the bounce after `expiresAt` (ISO).
   */
  record(tenant: string, email: string, bounce: SoftBounce, window: { since: string; expiresAt: string }): Promise<string[]>;
}
