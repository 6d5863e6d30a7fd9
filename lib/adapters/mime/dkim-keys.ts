/**
 * The DKIM keys mailroom signs with, found from the From domain of a tenant's mail: the stored
 * domain (or the nearest parent it has registered) in mode `dkim`, its private key decrypted in
 * memory only and kept for a few minutes.
 */
import { createPrivateKey } from 'node:crypto';
import { keyContext, openPrivateKey, type KeyEncryptionKey } from '../../domain/dkim-key.ts';
import { ExpiringCache } from '../../domain/expiring-cache.ts';
import { domainAndParents } from '../../domain/sending-domain.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DomainStore } from '../../ports/domain-store.ts';
import type { DkimSigningKey } from './dkim-sign.ts';

/** Finds the key that signs a tenant's mail from a domain. */
export interface DkimKeySource {
  /** The key, or undefined when mailroom has none for the domain (it is not signed then). */
  find(tenant: string, domain: string): Promise<DkimSigningKey | undefined>;
}

/** How long a found key is kept; a key that was not found is asked for again sooner. */
const FOUND_MS = 5 * 60_000;
const NOT_FOUND_MS = 30_000;
const MAX_ENTRIES = 1000;

/** {@link DkimKeySource} on the domains table and the key-encryption key. */
export class StoredDkimKeys implements DkimKeySource {
  readonly #cache: ExpiringCache<DkimSigningKey | undefined>;

  constructor(
    private readonly domains: Pick<DomainStore, 'get'>,
    private readonly domainKey: () => Promise<KeyEncryptionKey>,
    clock: Clock,
  ) {
    this.#cache = new ExpiringCache({ clock, maxEntries: MAX_ENTRIES });
  }

  find(tenant: string, domain: string): Promise<DkimSigningKey | undefined> {
    return this.#cache.get(`${tenant}\n${domain}`, async () => {
      const key = await this.#load(tenant, domain);
      return { value: key, keepMs: key ? FOUND_MS : NOT_FOUND_MS };
    });
  }

  async #load(tenant: string, domain: string): Promise<DkimSigningKey | undefined> {
    for (const name of domainAndParents(domain)) {
      const stored = await this.domains.get(tenant, name);
      if (!stored) continue;
      if (stored.mode !== 'dkim' || !stored.privateKey || !stored.selector) return undefined;
      const pem = openPrivateKey(await this.domainKey(), stored.privateKey, keyContext(tenant, name));
      return { domain: name, selector: stored.selector, privateKey: createPrivateKey(pem) };
    }
    return undefined;
  }
}
