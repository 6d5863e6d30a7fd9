import type { RecordCheck, SendingDomain } from '../domain/sending-domain.ts';

/** The outcome of a check, written onto the stored domain. */
export interface DomainCheckUpdate {
  checks: RecordCheck[];
  checkedAt: string;
  verified: boolean;
  verifiedAt?: string;
  sesVerified?: boolean;
}

/** Sending domains per tenant. */
export interface DomainStore {
  get(tenant: string, name: string): Promise<SendingDomain | undefined>;
  /**
   * Stores a new domain unless the tenant has it already; answers the stored one either way, so
   * two concurrent registrations end with one key.
   */
  create(domain: SendingDomain): Promise<{ created: boolean; domain: SendingDomain }>;
  /** A page of the tenant's domains in name order. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: SendingDomain[]; cursor?: string }>;
  /** Writes a check's outcome. @throws NotFoundError when the domain was removed meanwhile. */
  saveCheck(tenant: string, name: string, update: DomainCheckUpdate): Promise<SendingDomain>;
  /** Removes the domain; answers whether it existed. */
  delete(tenant: string, name: string): Promise<boolean>;
}
