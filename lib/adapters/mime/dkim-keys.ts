/**
 * The DKIM keys mailroom signs with, found from the From domain of a tenant's mail: the stored
 * domain (or the nearest parent it has registered) in mode `dkim`, its private key decrypted in
 * memory only and kept for a few minutes.
 */
import { createPrivateKey } from 'node:crypto';
import { keyContext, openPrivateKey, type KeyEncryptionKey } from '../../domain/dkim-key.ts';
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
  readonly #cache = new Map<string, { key: DkimSigningKey | undefined; until: number }>();

  constructor(
    private readonly domains: Pick<DomainStore, 'get'>,
    private readonly domainKey: () => Promise<KeyEncryptionKey>,
    private readonly clock: Clock,
  ) {}

  async find(tenant: string, domain: string): Promise<DkimSigningKey | undefined> {
    const cacheKey = `${tenant}\n${domain}`;
    const now = this.clock.now().getTime();
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.until > now) return cached.key;
    const key = await this.#load(tenant, domain);
    this.#cache.delete(cacheKey);
    if (this.#cache.size >= MAX_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(cacheKey, { key, until: now + (key ? FOUND_MS : NOT_FOUND_MS) });
    return key;
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
