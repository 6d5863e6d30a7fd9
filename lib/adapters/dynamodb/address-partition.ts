/**
 * Partitions per tenant and address, for what is looked up by address on every message
 * (suppressions, unsubscribes): `<tenant>#<digest of the address>`, so that one tenant's checks
 * spread over as many partitions as it has recipients, and no address is copied into a key.
 */
import { createHash } from 'node:crypto';

/** 128 bits of SHA-256 of the address, base64url. */
export function addressDigest(email: string): string {
  return createHash('sha256').update(email).digest('base64url').slice(0, 22);
}

/** The partition of `tenant`'s items about `email`. Tenant ids hold no `#`, so no key of one tenant is another's. */
export function addressPartition(tenant: string, email: string): string {
  return `${tenant}#${addressDigest(email)}`;
}
