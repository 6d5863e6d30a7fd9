import type { ApiKeyRecord } from '../domain/api-key.ts';
import type { Page } from '../domain/suppression.ts';

/** API keys, looked up by hash. */
export interface ApiKeyStore {
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  put(record: ApiKeyRecord): Promise<void>;
  /** A tenant's keys, oldest first, revoked ones included. */
  listByTenant(tenant: string, options: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>>;
  /** The tenant's key whose id (see apiKeyId) is `id`; undefined when the tenant has none. */
  findById(tenant: string, id: string): Promise<ApiKeyRecord | undefined>;
  /** Sets `revokedAt` (kept if already set); the record, or undefined when there is no such key. */
  revoke(hash: string, at: string): Promise<ApiKeyRecord | undefined>;
}
