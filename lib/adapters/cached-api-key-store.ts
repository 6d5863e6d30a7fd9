/**
 * API keys kept in the process for a few seconds: every API request looks its key up, and
 * without a cache one busy tenant's requests all read the same DynamoDB item (one partition
 * key, at most 3,000 reads a second). Only live keys are kept; a key revoked or changed through
 * this process is dropped at once, and elsewhere it stops working within `cacheMs`.
 */
import type { ApiKeyRecord } from '../domain/api-key.ts';
import { ExpiringCache } from '../domain/expiring-cache.ts';
import type { Page } from '../domain/suppression.ts';
import type { ApiKeyStore } from '../ports/api-key-store.ts';
import { systemClock, type Clock } from '../ports/clock.ts';

/** How long a key is kept by default (ms). */
export const API_KEY_CACHE_MS = 10_000;

export class CachedApiKeyStore implements ApiKeyStore {
  readonly #cache: ExpiringCache<ApiKeyRecord | undefined>;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: { cacheMs?: number; maxEntries?: number; clock?: Clock } = {},
  ) {
    this.#cache = new ExpiringCache({ clock: options.clock ?? systemClock, maxEntries: options.maxEntries });
  }

  findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const cacheMs = this.options.cacheMs ?? API_KEY_CACHE_MS;
    if (cacheMs <= 0) return this.store.findByHash(hash);
    return this.#cache.get(hash, async () => {
      const record = await this.store.findByHash(hash);
      // Unknown and revoked keys are not kept: a key made a moment ago must work at once.
      return { value: record, keepMs: record && !record.revokedAt ? cacheMs : 0 };
    });
  }

  async put(record: ApiKeyRecord): Promise<void> {
    this.#cache.invalidate(record.hash);
    await this.store.put(record);
    this.#cache.invalidate(record.hash);
  }

  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    return this.store.listByTenant(tenant, options);
  }

  findById(tenant: string, id: string): Promise<ApiKeyRecord | undefined> {
    return this.store.findById(tenant, id);
  }

  async revoke(hash: string, at: string): Promise<ApiKeyRecord | undefined> {
    this.#cache.invalidate(hash);
    const record = await this.store.revoke(hash, at);
    this.#cache.invalidate(hash);
    return record;
  }
}
