/** Issue, list and revoke a tenant's API keys. */
import { apiKeyId, generateApiKey, hashApiKey, keyPrefix, type ApiKeyRecord, type ApiKeyScope } from '../domain/api-key.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Page } from '../domain/suppression.ts';
import type { ApiKeyStore } from '../ports/api-key-store.ts';
import type { Clock } from '../ports/clock.ts';

/** What the API key use cases need. */
export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
  clock: Clock;
}

/** A key as listings show it: its id and prefix, never the key or its hash. */
export type ApiKeySummary = Omit<ApiKeyRecord, 'hash'> & { id: string };

/** The listing form of a stored key. */
export function apiKeySummary(record: ApiKeyRecord): ApiKeySummary {
  const { hash, ...rest } = record;
  return { id: apiKeyId(hash), ...rest };
}

/** Makes a key for `tenant`; the answer holds the key, which is not kept and cannot be shown again. */
export async function issueApiKey(
  deps: ApiKeyDeps,
  tenant: string,
  options: { scopes: ApiKeyScope[]; description?: string },
): Promise<ApiKeySummary & { key: string }> {
  const key = generateApiKey();
  const record: ApiKeyRecord = {
    hash: hashApiKey(key),
    prefix: keyPrefix(key),
    tenant,
    scopes: [...new Set(options.scopes)],
    ...(options.description !== undefined && { description: options.description }),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.apiKeys.put(record);
  return { ...apiKeySummary(record), key };
}

/** A page of `tenant`'s keys, oldest first, revoked ones included (with `revokedAt`). */
export async function listApiKeys(
  deps: Pick<ApiKeyDeps, 'apiKeys'>,
  tenant: string,
  options: { limit: number; cursor?: string },
): Promise<Page<ApiKeySummary>> {
  const page = await deps.apiKeys.listByTenant(tenant, options);
  return { ...page, items: page.items.map(apiKeySummary) };
}

/**
 * Revokes one of `tenant`'s keys; authentication reads keys with strong consistency, so the very
 * next request with it answers 401. A key may not revoke itself (`callerKeyId`): that would lock
 * out the caller in the middle of its work; another admin key or the CLI can.
 * @throws NotFoundError for a key the tenant does not have; ConflictError (`own_key`) for the caller's key.
 */
export async function revokeApiKey(
  deps: ApiKeyDeps,
  tenant: string,
  keyId: string,
  options: { callerKeyId?: string } = {},
): Promise<ApiKeySummary> {
  const record = await deps.apiKeys.findById(tenant, keyId);
  if (!record) throw new NotFoundError('API key');
  if (options.callerKeyId !== undefined && options.callerKeyId === keyId) {
    throw new ConflictError('own_key', 'An API key cannot revoke itself: use another admin key, or the operator.');
  }
  const revoked = await deps.apiKeys.revoke(record.hash, deps.clock.now().toISOString());
  if (!revoked) throw new NotFoundError('API key');
  return apiKeySummary(revoked);
}
