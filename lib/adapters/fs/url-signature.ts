/**
 * Signed, expiring download paths for the folder blob store: the local stand-in for S3's
 * presigned URLs. An HMAC-SHA256 over the key and the expiry, so a link can neither be made
 * for another file nor be kept working past its time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Path prefix under which the local HTTP server serves downloads. */
export const DOWNLOAD_PREFIX = '/local/exports/';

// Segments of letters, digits, `_ . -`, none starting with a dot: no `..`, no hidden files,
// no separators or encodings that could step out of the folder.
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}){0,7}$/;

/** Whether a key is acceptable as a relative file path. */
export function isSafeKey(key: string): boolean {
  return KEY.test(key);
}

/** The signature of a download of `key` valid until `expires` (epoch seconds). */
export function sign(secret: Buffer, key: string, expires: number): string {
  return createHmac('sha256', secret).update(`GET\n${key}\n${expires}`).digest('base64url');
}

/** The path and query of a signed download link. */
export function signedPath(secret: Buffer, key: string, expires: number): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${DOWNLOAD_PREFIX}${path}?expires=${expires}&signature=${sign(secret, key, expires)}`;
}

/** Why a download link is refused. */
export type LinkProblem = 'malformed' | 'expired' | 'bad_signature';

/**
 * Checks a link's key, expiry and signature (in constant time). Returns the problem, or
 * undefined when the link is good at `nowSeconds`.
 */
export function checkLink(
  secret: Buffer,
  key: string,
  expires: string | null,
  signature: string | null,
  nowSeconds: number,
): LinkProblem | undefined {
  if (!isSafeKey(key) || !expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[A-Za-z0-9_-]{43}$/.test(signature))
    return 'malformed';
  const expected = Buffer.from(sign(secret, key, Number(expires)), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'utf8'))) return 'bad_signature';
  if (Number(expires) < nowSeconds) return 'expired';
  return undefined;
}
