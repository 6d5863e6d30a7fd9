/** A per-tenant request rate limit, shared by every instance of the API. */
export interface RateLimiter {
  /** Requests per second each tenant may make. */
  readonly limitPerSecond: number;
  /**
   * Takes `cost` requests from the tenant's allowance for the current second. Returns the
   * seconds to wait when the allowance is spent (nothing was taken), else 0.
   */
  take(tenant: string, cost?: number): Promise<number>;
}
