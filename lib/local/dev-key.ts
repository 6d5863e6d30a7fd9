/**
 * The dev tenant's API key: MAILROOM_API_KEY, else one made once and kept in the data folder
 * (mode 0600), else one for this run. Its record is written once: a key revoked through the API
 * or the command line stays revoked when local mode starts again.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoApiKeyStore } from '../adapters/dynamodb/api-key-store.ts';
import { API_KEY_SCOPES, generateApiKey, hashApiKey, keyPrefix, looksLikeApiKey } from '../domain/api-key.ts';

/** The file in the data folder that holds a generated key. */
export const DEV_KEY_FILE = 'dev-api-key';

/** The key: `configured` (MAILROOM_API_KEY) when set, else the data folder's, made on first use. */
export function devKey(configured: string | undefined, dataDir: string | undefined): string {
  if (configured !== undefined) {
    if (!looksLikeApiKey(configured))
      throw new Error('MAILROOM_API_KEY must be "mr_" followed by 43 base64url characters; unset it to have one generated');
    return configured;
  }
  if (!dataDir) return generateApiKey();
  const file = join(dataDir, DEV_KEY_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = generateApiKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/**
 * Records `key` as an admin key of `tenant` unless a record of it exists, which is left as it
 * is (revoked included). Returns when it was revoked, if it was.
 */
export async function recordDevKey(store: DynamoApiKeyStore, key: string, tenant: string): Promise<{ revokedAt?: string }> {
  const hash = hashApiKey(key);
  const existing = await store.findByHash(hash);
  if (existing) return existing.revokedAt ? { revokedAt: existing.revokedAt } : {};
  await store.put({ hash, prefix: keyPrefix(key), tenant, scopes: [...API_KEY_SCOPES], createdAt: new Date().toISOString() });
  return {};
}
