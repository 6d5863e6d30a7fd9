import type { RecordCheck, SendingDomain } from '../domain/sending-domain.ts';

/** The outcome of a check, written onto the stored domain. */
export interface DomainCheckUpdate {
  checks: RecordCheck[];
  checkedAt: string;
  verified: boolean;
  verifiedAt?: string;
  sesVerified?: boolean;
}

/**
 * Which claims stand in the way of a tenant: always another tenant's claim on the exact name;
 * with `related`, also on a parent or a subdomain of it (relay `ses`: a verified SES identity
 * covers its subdomains, and a subdomain's identity overrides its parent's).
 */
export interface ClaimScope {
  related: boolean;
}

/**
 * Sending domains per tenant, and the claims that make each domain name one tenant's: a tenant
 * holds the claim on every domain it registers, and no other tenant may register the name while
 * it does. An unverified claim holds the name for UNVERIFIED_CLAIM_HOURS after the domain's
 * registration, a verified one until the domain is removed. `now` is epoch milliseconds.
 */
export interface DomainStore {
  get(tenant: string, name: string): Promise<SendingDomain | undefined>;
  /** The tenant whose claim holds the name at `now`; undefined when none does. */
  owner(name: string, now: number): Promise<string | undefined>;
  /** Whether a claim of a tenant other than `tenant` holds the name (or, per `scope`, a parent or subdomain) at `now`. */
  claimedByOther(tenant: string, name: string, scope: ClaimScope, now: number): Promise<boolean>;
  /**
   * Stores a new domain and the tenant's claim on its name together, unless the tenant has it
   * already; answers the stored one either way, so two concurrent registrations end with one key.
   * @throws ConflictError `domain_taken` when another tenant's claim stands in the way.
   */
  create(domain: SendingDomain, scope: ClaimScope): Promise<{ created: boolean; domain: SendingDomain }>;
  /**
   * Writes the tenant's claim on a domain it has, registered at `createdAt`, when it holds none
   * (a domain stored before claims existed, or whose claim lapsed); the hold still counts from
   * `createdAt`.
   * @throws ConflictError `domain_taken` when another tenant's claim stands in the way.
   */
  claim(tenant: string, name: string, createdAt: string, scope: ClaimScope, now: number): Promise<void>;
  /**
   * Makes the tenant's claim hold until the domain is removed, once the domain is verified; false
   * when another tenant's claim holds the name (or, per `scope`, a parent or subdomain) instead.
   */
  confirmClaim(tenant: string, name: string, at: string, scope: ClaimScope, now: number): Promise<boolean>;
  /** A page of the tenant's domains in name order. */
  list(tenant: string, options: { limit: number; cursor?: string }): Promise<{ items: SendingDomain[]; cursor?: string }>;
  /** Writes a check's outcome. @throws NotFoundError when the domain was removed meanwhile. */
  saveCheck(tenant: string, name: string, update: DomainCheckUpdate): Promise<SendingDomain>;
  /** Removes the tenant's domain, and its claim when the tenant holds it; answers whether the domain existed. */
  delete(tenant: string, name: string): Promise<boolean>;
}
