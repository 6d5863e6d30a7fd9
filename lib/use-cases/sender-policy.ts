/**
 * The sender policy: a tenant may send only from domains it has verified (or their subdomains,
 * as with SES: a verified `example.com` covers `news.example.com`). It reads only the tenant's
 * own domains, and a domain counts only while no other tenant holds its claim. It runs on every
 * send, so answers are cached in the process for a short while.
 */
import { domainOf } from '../domain/address.ts';
import { DomainNotVerifiedError } from '../domain/errors.ts';
import { ExpiringCache } from '../domain/expiring-cache.ts';
import { domainAndParents } from '../domain/sending-domain.ts';
import type { Clock } from '../ports/clock.ts';
import type { DomainStore } from '../ports/domain-store.ts';
import type { SenderPolicy } from '../ports/sender-policy.ts';

/** How long a verified domain is taken as verified without reading it again. */
export const VERIFIED_CACHE_MS = 30_000;
/** How long an unverified one is taken as unverified (shorter: a newly verified domain should work soon). */
export const UNVERIFIED_CACHE_MS = 5_000;
/** Most cached answers; the oldest go first beyond it. */
const MAX_ENTRIES = 10_000;

/** Options of {@link VerifiedDomainPolicy}. */
export interface VerifiedDomainPolicyOptions {
  /** Tenants that may send from any domain (local mode's dev tenant). */
  exempt?: readonly string[];
}

/** {@link SenderPolicy} on the stored `verified` flag of the tenant's domains. */
export class VerifiedDomainPolicy implements SenderPolicy {
  readonly #domains: Pick<DomainStore, 'get' | 'owner'>;
  readonly #clock: Clock;
  readonly #exempt: Set<string>;
  readonly #cache: ExpiringCache<boolean>;

  constructor(domains: Pick<DomainStore, 'get' | 'owner'>, clock: Clock, options: VerifiedDomainPolicyOptions = {}) {
    this.#domains = domains;
    this.#clock = clock;
    this.#exempt = new Set(options.exempt ?? []);
    this.#cache = new ExpiringCache({ clock, maxEntries: MAX_ENTRIES });
  }

  /** @throws DomainNotVerifiedError naming the address's domain. */
  async check(tenant: string, address: string): Promise<void> {
    if (this.#exempt.has(tenant)) return;
    const domain = domainOf(address).toLowerCase();
    for (const name of domainAndParents(domain)) {
      if (await this.#verified(tenant, name)) return;
    }
    throw new DomainNotVerifiedError(domain);
  }

  /** Drops the cached answer for a domain (its verification changed in this process). */
  forget(tenant: string, name: string): void {
    this.#cache.invalidate(`${tenant}\n${name}`);
  }

  #verified(tenant: string, name: string): Promise<boolean> {
    return this.#cache.get(`${tenant}\n${name}`, async () => {
      const now = this.#clock.now().getTime();
      // Read the claim only for a verified domain: the one case where it can change the answer.
      const verified =
        (await this.#domains.get(tenant, name))?.verified === true && [undefined, tenant].includes(await this.#domains.owner(name, now));
      return { value: verified, keepMs: verified ? VERIFIED_CACHE_MS : UNVERIFIED_CACHE_MS };
    });
  }
}

/** The setting of MAILROOM_VERIFIED_DOMAINS. */
export type VerifiedDomainsSetting = { required: false } | { required: true; exempt: string[] };

/**
 * Reads MAILROOM_VERIFIED_DOMAINS: `required` (the default), `off`, or `off:<tenant>,<tenant>`
 * (required, except for the tenants listed). Undefined for anything else.
 */
export function parseVerifiedDomains(raw: string | undefined): VerifiedDomainsSetting | undefined {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'required') return { required: true, exempt: [] };
  if (value === 'off') return { required: false };
  const listed = /^off:(.+)$/.exec(value)?.[1];
  if (!listed) return undefined;
  const exempt = listed.split(',').map((t) => t.trim());
  return exempt.every(Boolean) ? { required: true, exempt } : undefined;
}
