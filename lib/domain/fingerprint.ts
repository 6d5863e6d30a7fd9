/**
 * Fingerprints of request bodies, for idempotency: equal JSON values give equal fingerprints.
 * Also the ids of what an idempotent request creates, the same for every try of the request.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of the canonical JSON form (object keys sorted, so key order does not matter). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Whether an `Idempotency-Key` header value is acceptable: 1 to 255 visible ASCII characters. */
export function isIdempotencyKey(value: string): boolean {
  return IDEMPOTENCY_KEY.test(value);
}

// Crockford's base32, as in ULIDs.
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The first `length` (at most 51) base32 characters of the SHA-256 of `text`. */
export function base32Digest(text: string, length: number): string {
  const digest = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === length) break;
  }
  return out;
}

/**
 * The id of the `index`-th thing (message, campaign) an idempotent request creates: a ULID whose
 * time is when the key was first used (`startedAt`, epoch ms), so that it sorts among new ids
 * by creation as they do (campaigns are listed by id), and whose 80 random bits are a digest of
 * the tenant, the key, `startedAt` and `index`. A retry that takes over the key after its first
 * try died gets the same ids, so what that try stored is found instead of being made twice; the
 * same key used again after it expired gets new ones.
 */
export function idempotentId(tenant: string, key: string, startedAt: number, index: number): string {
  return `${encodeTime(startedAt, 10)}${base32Digest(JSON.stringify(['idempotent', tenant, key, startedAt, index]), 16)}`;
}
