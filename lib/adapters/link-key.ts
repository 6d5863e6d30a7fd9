/**
 * The key that signs mailroom's public links (clicks, opens, conversions, unsubscribes), read
 * once at cold start: from Secrets Manager in AWS (`MAILROOM_LINK_SECRET_ARN`), else from
 * `MAILROOM_LINK_SECRET` (local mode). Every function that makes or checks links reads the
 * same key, so a link made by one is honoured by the others.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../config.ts';
import { base64Variable, readSecretString } from './configured-key.ts';
import { MIN_LINK_KEY_BYTES } from '../domain/links.ts';
import { ENV, type Env } from '../env.ts';

/** Whether a link key is configured at all. */
export function hasLinkKey(env: Env): boolean {
  return Boolean(env[ENV.linkSecretArn]?.trim() || env[ENV.linkSecret]?.trim());
}

/**
 * The link-signing key.
 *
 * - `MAILROOM_LINK_SECRET_ARN`: the secret's SecretString (a random string of at least
 *   MIN_LINK_KEY_BYTES characters, as the stack generates it); its UTF-8 bytes are the key.
 * - else `MAILROOM_LINK_SECRET`: the key itself in base64 (or base64url), at least
 *   MIN_LINK_KEY_BYTES bytes once decoded.
 *
 * @throws ConfigError naming the variable or the secret (never its value) when neither is
 *   set, the secret cannot be read, or the key is too short or not base64.
 */
export async function readLinkKey(env: Env, secrets?: SecretsManagerClient): Promise<Buffer> {
  const arn = env[ENV.linkSecretArn]?.trim();
  if (arn) {
    const key = Buffer.from(await readSecretString(arn, 'the link-signing key', secrets), 'utf8');
    if (key.length < MIN_LINK_KEY_BYTES) {
      throw new ConfigError(`secret ${arn} (${ENV.linkSecretArn}) must hold a random string of at least ${MIN_LINK_KEY_BYTES} characters`);
    }
    return key;
  }
  const encoded = env[ENV.linkSecret]?.trim();
  if (!encoded) {
    throw new ConfigError(
      `no key to sign links: set ${ENV.linkSecretArn} (a Secrets Manager secret) or ${ENV.linkSecret} (base64 of at least ${MIN_LINK_KEY_BYTES} random bytes)`,
    );
  }
  const key = base64Variable(ENV.linkSecret, encoded);
  if (key.length < MIN_LINK_KEY_BYTES) {
    throw new ConfigError(
      `environment variable ${ENV.linkSecret} must hold at least ${MIN_LINK_KEY_BYTES} bytes (base64 of ${MIN_LINK_KEY_BYTES} random bytes)`,
    );
  }
  return key;
}
