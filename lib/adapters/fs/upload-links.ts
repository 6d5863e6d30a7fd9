/**
 * Signed, expiring upload paths for the folder attachment store: the local stand-in for S3's
 * presigned PUT URLs. An HMAC-SHA256 over the key, the expiry and the size, so a link can be
 * used for neither another file, nor after its time, nor for another number of bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isSafeKey, type LinkProblem } from './url-signature.ts';

/** Path prefix under which the local HTTP server takes uploads. */
export const UPLOAD_PREFIX = '/local/uploads/';

function sign(secret: Buffer, key: string, expires: number, size: number): string {
  return createHmac('sha256', secret).update(`PUT\n${key}\n${expires}\n${size}`).digest('base64url');
}

/** The path and query of a signed upload link. */
export function signedUploadPath(secret: Buffer, key: string, expires: number, size: number): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${UPLOAD_PREFIX}${path}?expires=${expires}&size=${size}&signature=${sign(secret, key, expires, size)}`;
}

/** The query of an upload link. */
export interface UploadQuery {
  expires: string | null;
  size: string | null;
  signature: string | null;
}

/** Checks an upload link (in constant time): its problem, or undefined when it is good at `nowSeconds`. */
export function checkUploadLink(secret: Buffer, key: string, query: UploadQuery, nowSeconds: number): LinkProblem | undefined {
  const { expires, size, signature } = query;
  if (!isSafeKey(key) || !expires || !/^\d{1,12}$/.test(expires) || !size || !/^\d{1,12}$/.test(size)) return 'malformed';
  if (!signature || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return 'malformed';
  const expected = Buffer.from(sign(secret, key, Number(expires), Number(size)), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'utf8'))) return 'bad_signature';
  if (Number(expires) < nowSeconds) return 'expired';
  return undefined;
}
