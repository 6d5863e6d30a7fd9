/** API keys: random secrets shown once, stored only as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_SCOPES = ['send', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyRecord {
  /** Hex SHA-256 of the key. The key itself is never stored. */
  hash: string;
  /** Short id shown in listings (`mr_…` prefix plus 6 characters). */
  prefix: string;
  tenant: string;
  scopes: ApiKeyScope[];
  /** What the key is for, as its maker described it. */
  description?: string;
  createdAt: string;
  revokedAt?: string;
}

const KEY = /^mr_[A-Za-z0-9_-]{43}$/;

/** A new key: `mr_` and 32 random bytes in base64url. */
export function generateApiKey(): string {
  return `mr_${randomBytes(32).toString('base64url')}`;
}

/** Whether a string has the shape of a mailroom key (cheap check before any lookup). */
export function looksLikeApiKey(value: string): boolean {
  return KEY.test(value);
}

/** The stored form of a key. A fast hash suffices: keys carry 256 random bits. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The non-secret prefix used to recognise a key in listings. */
export function keyPrefix(key: string): string {
  return key.slice(0, 9);
}

/** Characters of the hash that name a key in the admin API and CLI. */
const KEY_ID_LENGTH = 12;
const KEY_ID = /^[0-9a-f]{12}$/;

/**
 * The id that addresses a key (`DELETE /v1/tenants/{id}/keys/{keyId}`): the first 12 hex
 * characters of its hash. Derived, not stored, so keys made before ids existed have one too;
 * 48 bits cannot be turned back into the key.
 */
export function apiKeyId(hash: string): string {
  return hash.slice(0, KEY_ID_LENGTH);
}

/** Whether a string has the shape of a key id. */
export function looksLikeApiKeyId(value: string): boolean {
  return KEY_ID.test(value);
}
