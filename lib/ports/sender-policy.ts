/** Whether a tenant may send from an address: its domain must be one the tenant has verified. */
export interface SenderPolicy {
  /**
   * Resolves when `tenant` may send with `address` (a bare address) as sender.
   * @throws DomainNotVerifiedError when the address's domain is not verified for the tenant.
   */
  check(tenant: string, address: string): Promise<void>;
}
