/**
 * API keys kept in the process for a few seconds: every API request looks its key up, and
 * without a cache one busy tenant's requests all read the same DynamoDB item (one partition
 * key, at most 3,000 reads a second). Only live keys are kept; a key revoked or changed through
 * this process is dropped at once, and elsewhere it stops working within `cacheMs`.
 */
import type { ApiKeyRecord } from '../domain/api-key.ts';
import type { Page } from '../domain/suppression.ts';
import type { ApiKeyStore } from '../ports/api-key-store.ts';
import { systemClock, type Clock } from '../ports/clock.ts';

/** How long a key is kept by default (ms). */
export const API_KEY_CACHE_MS = 10_000;

interface Entry {
  record: ApiKeyRecord;
  until: number;
}

export class CachedApiKeyStore implements ApiKeyStore {
  readonly #entries = new Map<string, Entry>();
  /** Lookups in flight, so that a burst of requests with one key reads it once. */
  readonly #reading = new Map<string, Promise<ApiKeyRecord | undefined>>();
  /** Bumped by every change made through this store: a lookup begun before a change keeps nothing. */
  #generation = 0;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: { cacheMs?: number; maxEntries?: number; clock?: Clock } = {},
  ) {}

  get #cacheMs(): number {
    return this.options.cacheMs ?? API_KEY_CACHE_MS;
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    if (this.#cacheMs <= 0) return this.store.findByHash(hash);
    const now = (this.options.clock ?? systemClock).now().getTime();
    const entry = this.#entries.get(hash);
    if (entry && entry.until > now) return entry.record;
    const reading = this.#reading.get(hash);
    if (reading) return reading;
    const generation = this.#generation;
    const read = this.store.findByHash(hash).then((record) => {
      this.#entries.delete(hash);
      // Unknown and revoked keys are not kept: a key made a moment ago must work at once.
      if (record && !record.revokedAt && generation === this.#generation) {
        if (this.#entries.size >= (this.options.maxEntries ?? 1000)) this.#entries.delete(this.#entries.keys().next().value!);
        this.#entries.set(hash, { record, until: now + this.#cacheMs });
      }
      return record;
    });
    this.#reading.set(hash, read);
    try {
      return await read;
    } finally {
      this.#reading.delete(hash);
    }
  }

  async put(record: ApiKeyRecord): Promise<void> {
    this.#generation++;
    this.#entries.delete(record.hash);
    await this.store.put(record);
    this.#entries.delete(record.hash);
  }

  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    return this.store.listByTenant(tenant, options);
  }

  findById(tenant: string, id: string): Promise<ApiKeyRecord | undefined> {
    return this.store.findById(tenant, id);
  }

  async revoke(hash: string, at: string): Promise<ApiKeyRecord | undefined> {
    this.#generation++;
    this.#entries.delete(hash);
    const record = await this.store.revoke(hash, at);
    this.#entries.delete(hash);
    return record;
  }
}
