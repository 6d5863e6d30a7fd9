/** Resolves `Authorization: Bearer <key>` to a tenant and checks the key's scopes. */
import { apiKeyId, hashApiKey, looksLikeApiKey, type ApiKeyScope } from '../domain/api-key.ts';
import { AuthenticationError, ForbiddenError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { ApiKeyStore } from '../ports/api-key-store.ts';

/** Looks the key up by hash; unknown, malformed and revoked keys all answer 401 alike. */
export async function authenticate(keys: ApiKeyStore, authorization: string | undefined): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key || !looksLikeApiKey(key)) throw new AuthenticationError();
  const record = await keys.findByHash(hashApiKey(key));
  if (!record || record.revokedAt) throw new AuthenticationError();
  return { tenant: record.tenant, scopes: record.scopes, keyId: apiKeyId(record.hash) };
}

/** Throws ForbiddenError unless the principal has the scope (`admin` has every scope). */
export function requireScope(principal: Principal, scope: ApiKeyScope): void {
  if (!principal.scopes.includes(scope) && !principal.scopes.includes('admin')) throw new ForbiddenError(scope);
}
