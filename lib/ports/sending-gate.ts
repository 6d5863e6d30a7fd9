/** Whether a tenant may send at all (the reputation breaker pauses it; an operator resumes it). */
export interface SendingGate {
  /** @throws SendingPausedError while the tenant's sending is paused. */
  check(tenant: string): Promise<void>;
}
