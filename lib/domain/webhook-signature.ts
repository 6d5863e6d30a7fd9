/**
 * Webhook signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com): a secret `whsec_<base64>`, and per request the headers
 * `webhook-id`, `webhook-timestamp` (seconds) and `webhook-signature`, `v1,<base64 of
 * HMAC-SHA256 over "<id>.<timestamp>.<body>">`, several separated by spaces while an old and a
 * new secret both apply. Receivers verify with the specification's libraries (`standardwebhooks`,
 * Svix's). The signing is three lines of node:crypto, so the functions do not carry the
 * reference library (a test dependency that checks these signatures).
 */
import { createHmac, randomBytes } from 'node:crypto';

/** How a secret starts. */
export const SECRET_PREFIX = 'whsec_';

/** Random bytes in a new secret (the specification asks for 24 to 64). */
export const SECRET_BYTES = 32;

/** A new secret: `whsec_` and base64 of SECRET_BYTES random bytes. */
export function newWebhookSecret(random: (size: number) => Buffer = randomBytes): string {
  return `${SECRET_PREFIX}${random(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key a secret stands for (the bytes after `whsec_`). */
export function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new Error('a webhook secret holds no key');
  return key;
}

/** One signature, `v1,<base64>`, of `body` sent as message `id` at `timestamp` (epoch seconds). */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.`, 'utf8').update(body, 'utf8');
  return `v1,${mac.digest('base64')}`;
}

/** The Standard Webhooks headers of one request: a signature by each secret, in order. */
export function signatureHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Record<string, string> {
  if (secrets.length === 0) throw new Error('a webhook needs at least one secret to be signed with');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestamp, body)).join(' '),
  };
}
