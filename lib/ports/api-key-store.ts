import type { ApiKeyRecord } from '../domain/api-key.ts';

/** API keys, looked up by hash. */
export interface ApiKeyStore {
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  put(record: ApiKeyRecord): Promise<void>;
}
