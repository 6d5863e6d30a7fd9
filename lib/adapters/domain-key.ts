/**
 * The key that encrypts the DKIM private keys mailroom makes, read once when first needed: from
 * Secrets Manager in AWS (`MAILROOM_DOMAIN_KEY_SECRET_ARN`), else from
 * `MAILROOM_DOMAIN_KEY_SECRET` (local mode). The API function seals keys with it and the deliver
 * function opens them, so both read the same secret.
 */
import { createHash } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../config.ts';
import { base64Variable, readSecretString } from './configured-key.ts';
import { keyEncryptionKey, type KeyEncryptionKey } from '../domain/dkim-key.ts';
import { ENV, type Env } from '../env.ts';

/** Fewest characters of the Secrets Manager secret (a generated random string). */
const MIN_SECRET_CHARACTERS = 32;

/** Whether a domain key is configured at all. */
export function hasDomainKey(env: Env): boolean {
  return Boolean(env[ENV.domainKeySecretArn]?.trim() || env[ENV.domainKeySecret]?.trim());
}

/**
 * The key-encryption key.
 *
 * - `MAILROOM_DOMAIN_KEY_SECRET_ARN`: the secret's SecretString, a random string of at least 32
 *   characters (as the stack generates it); the key is its SHA-256, so any length gives 32 bytes.
 * - else `MAILROOM_DOMAIN_KEY_SECRET`: the key itself, base64 (or base64url) of 32 bytes.
 *
 * @throws ConfigError naming the variable or the secret (never its value) when neither is set,
 *   the secret cannot be read, or the key is malformed.
 */
export async function readDomainKey(env: Env, secrets?: SecretsManagerClient): Promise<KeyEncryptionKey> {
  const arn = env[ENV.domainKeySecretArn]?.trim();
  if (arn) {
    const secret = await readSecretString(arn, 'the domain key', secrets);
    if (secret.length < MIN_SECRET_CHARACTERS) {
      throw new ConfigError(
        `secret ${arn} (${ENV.domainKeySecretArn}) must hold a random string of at least ${MIN_SECRET_CHARACTERS} characters`,
      );
    }
    return keyEncryptionKey(createHash('sha256').update(secret, 'utf8').digest());
  }
  const encoded = env[ENV.domainKeySecret]?.trim();
  if (!encoded) {
    throw new ConfigError(
      `no key to encrypt DKIM keys: set ${ENV.domainKeySecretArn} (a Secrets Manager secret) or ${ENV.domainKeySecret} (base64 of 32 random bytes)`,
    );
  }
  const key = base64Variable(ENV.domainKeySecret, encoded);
  if (key.length !== 32)
    throw new ConfigError(`environment variable ${ENV.domainKeySecret} must hold 32 bytes (base64 of 32 random bytes)`);
  return keyEncryptionKey(key);
}

/** Reads the key once, on first use; a failed read is tried again next time. */
export function domainKeyOnce(env: Env, secrets?: SecretsManagerClient): () => Promise<KeyEncryptionKey> {
  let pending: Promise<KeyEncryptionKey> | undefined;
  return () => {
    pending ??= readDomainKey(env, secrets).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
